/**
 * Translation of the scripts' text through Django's JavaScript catalog (the /jsi18n/ script,
 * djangojs.po): English is the source text, Korean comes from locale/ko.
 */

// {name}, {name:g} (a number without useless zeros) or {name:,.0f} (a whole number with thousands
// separators): the placeholders of the engine's event templates (engine/messages.py), as Python
// writes them, so that English read here and English written by the engine are the same text.
const PLACEHOLDER = /\{(\w+)(:g|:,\.0f)?\}/g;

function formatValue(value, spec) {
  if (typeof value !== "number") return String(value);
  if (spec === ":g") return String(Number(value.toPrecision(6)));
  if (spec === ":,.0f") return Math.round(value).toLocaleString("en-US");
  return String(value);
}

/**
 * The text in the page's language, with {name} placeholders filled in.
 * @param {string} text  the English text
 * @param {Record<string, any>} [values]
 * @returns {string}
 */
export function t(text, values = {}) {
  const translated = window.gettext ? window.gettext(text) : text;
  return translated.replace(PLACEHOLDER, (whole, name, spec) =>
    name in values ? formatValue(values[name], spec) : whole,
  );
}

/**
 * An event's sentence in the page's language: its template translated and filled with its params,
 * or its English message when it came without a template.
 * @param {{message?: string, template?: string, params?: Record<string, any>}} event
 * @returns {string}
 */
export const eventText = (event) => (event.template ? t(event.template, event.params ?? {}) : (event.message ?? ""));

/** The page's language ("en" or "ko"), from the server-rendered <html lang>. */
export const language = () => document.documentElement.lang || "en";
