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
 * or its English message when it came without a template. The params the event names in `choices`
 * are choices of the catalog (a machine size, ...): they read as their labels.
 * @param {{message?: string, template?: string, params?: Record<string, any>, choices?: string[]}} event
 * @param {Record<string, string>} [labels]  each choice's label in the page's language (fields.js choiceLabels)
 * @returns {string}
 */
export function eventText(event, labels = {}) {
  if (!event.template) return event.message ?? "";
  const params = { ...event.params };
  for (const name of event.choices ?? []) params[name] = labels[params[name]] ?? params[name];
  return t(event.template, params);
}

/** The page's language ("en" or "ko"), from the server-rendered <html lang>. */
export const language = () => document.documentElement.lang || "en";
