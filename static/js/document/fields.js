/**
 * One form field per catalog prop, with the catalog's range check done where the value is
 * typed: a refused value shows a message beside the field and is not applied.
 */

import { t } from "../core/i18n.js";

/**
 * Check a typed value against a prop's spec.
 * @param {{type: string, min?: number, max?: number, choices?: string[]}} spec
 * @param {string} text  what the field holds
 * @param {boolean} [badInput]  the browser could not read the number field as a number
 * @returns {{value: any} | {error: string}}
 */
export function parseValue(spec, text, badInput = false) {
  if (spec.type === "choice") {
    return spec.choices?.includes(text) ? { value: text } : { error: t("Pick one of the choices.") };
  }
  if (spec.type !== "int" && spec.type !== "float") return { value: text };
  const trimmed = text.trim();
  if (badInput || trimmed === "" || !Number.isFinite(Number(trimmed))) {
    return { error: spec.type === "int" ? t("Enter a whole number.") : t("Enter a number.") };
  }
  const value = Number(trimmed);
  if (spec.type === "int" && !Number.isInteger(value)) return { error: t("Enter a whole number.") };
  const [min, max] = [spec.min ?? -Infinity, spec.max ?? Infinity];
  if (value < min || value > max) return { error: rangeMessage(min, max) };
  return { value };
}

function rangeMessage(min, max) {
  if (Number.isFinite(min) && Number.isFinite(max)) return t("Must be from {min} to {max}.", { min, max });
  return Number.isFinite(min) ? t("Must be at least {min}.", { min }) : t("Must be at most {max}.", { max });
}

/**
 * A number's range as the start of its help: "1 to 1024. " ("" without both ends).
 * @param {{min?: number | null, max?: number | null}} spec
 */
export function rangeText(spec) {
  if (spec.min == null || spec.max == null) return "";
  return `${t("{min} to {max}", spec)}. `;
}

/**
 * A prop's name for people: the catalog's `name_label` in the page's language ("처리 시간(ms)
 * (service_ms)"), else the name with spaces ("service ms").
 * @param {string} name
 * @param {{name_label?: string}} [spec]  the prop's catalog entry
 */
export const propLabel = (name, spec) => spec?.name_label ?? name.replace(/_/g, " ");

/**
 * A choice's name for people, in the page's language, from the catalog's `choice_labels`
 * ("round_robin" -> "round robin", or "라운드 로빈 (round_robin)" on a Korean page).
 * @param {{choice_labels?: Record<string, string>}} spec  the prop's catalog entry
 * @param {string} choice
 */
export const choiceLabel = (spec, choice) => spec.choice_labels?.[choice] ?? choice.replace(/_/g, " ");

/**
 * Every choice's label, wherever the catalog lists choices (kinds' props, actions' params, the
 * traffic): a choice reads the same wherever it is offered (playground/catalog.py choice_label).
 * @param {object} catalog
 * @returns {Record<string, string>}
 */
export function choiceLabels(catalog) {
  const labels = {};
  const visit = (value) => {
    if (!value || typeof value !== "object") return;
    Object.assign(labels, value.choice_labels);
    Object.values(value).forEach(visit);
  };
  visit(catalog);
  return labels;
}

/**
 * Build the field of one prop.
 * @param {object} options
 * @param {string} options.name  the prop's name
 * @param {object} options.spec  its catalog entry
 * @param {any} options.value  the current value (the default when the document has none)
 * @param {string} options.idPrefix  makes the input's id unique on the page
 * @param {boolean} options.disabled
 * @param {(name: string, value: any) => void} options.onValue  called with every accepted value
 * @returns {HTMLElement}
 */
export function createField({ name, spec, value, idPrefix, disabled, onValue }) {
  const field = document.createElement("div");
  field.className = "field";
  field.dataset.prop = name;
  const id = `${idPrefix}-${name}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = propLabel(name, spec);
  const input = spec.type === "choice" ? choiceInput(spec, value) : textInput(spec, value);
  input.id = id;
  input.name = name;
  input.disabled = disabled;
  const error = document.createElement("span");
  error.className = "field-error";
  error.id = `${id}-error`;
  error.setAttribute("role", "alert");
  const help = document.createElement("p");
  help.className = "field-help";
  help.id = `${id}-help`;
  help.textContent = rangeText(spec) + (spec.meaning ?? "");
  input.setAttribute("aria-describedby", `${help.id} ${error.id}`);
  const row = document.createElement("div");
  row.className = "field-row";
  row.append(input, error);
  field.append(label, row, help);
  if (spec.live === false && !disabled) {
    // The engine refuses to change it in a running simulation (sim.js reloads it instead).
    const note = document.createElement("p");
    note.className = "field-note";
    note.textContent = t("Changing it restarts the simulation from 0.");
    field.dataset.live = "false";
    field.append(note);
  }

  const check = () => {
    const result = parseValue(spec, input.value, input.validity?.badInput);
    const refused = "error" in result;
    error.textContent = refused ? result.error : "";
    field.classList.toggle("is-invalid", refused);
    input.setAttribute("aria-invalid", String(refused));
    if (!refused && result.value !== value) {
      value = result.value;
      onValue(name, value);
    }
  };
  input.addEventListener(spec.type === "choice" ? "change" : "input", check);
  input.addEventListener("change", check);
  return field;
}

function choiceInput(spec, value) {
  const select = document.createElement("select");
  for (const choice of spec.choices ?? []) {
    const option = document.createElement("option");
    option.value = choice;
    option.textContent = choiceLabel(spec, choice);
    option.selected = choice === value;
    select.append(option);
  }
  return select;
}

function textInput(spec, value) {
  const input = document.createElement("input");
  if (spec.type === "int" || spec.type === "float") {
    input.type = "number";
    if (spec.min != null) input.min = String(spec.min);
    if (spec.max != null) input.max = String(spec.max);
    input.step = String(spec.step ?? (spec.type === "int" ? 1 : "any"));
    input.inputMode = spec.type === "int" ? "numeric" : "decimal";
  } else {
    input.type = "text";
  }
  input.value = value ?? "";
  input.autocomplete = "off";
  return input;
}
