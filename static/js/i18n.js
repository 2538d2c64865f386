/**
 * Translation of the scripts' text through Django's JavaScript catalog (the /jsi18n/ script,
 * djangojs.po): English is the source text, Korean comes from locale/ko.
 */

/**
 * The text in the page's language, with {name} placeholders filled in.
 * @param {string} text  the English text
 * @param {Record<string, any>} [values]
 * @returns {string}
 */
export function t(text, values = {}) {
  const translated = window.gettext ? window.gettext(text) : text;
  return translated.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** The page's language ("en" or "ko"), from the server-rendered <html lang>. */
export const language = () => document.documentElement.lang || "en";
