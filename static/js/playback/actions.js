/**
 * Live actions from the engine's catalog (`catalog.actions`): which apply to a node, and a small
 * form for an action's params (each with its range, default and meaning). The side panel, the
 * context menu and the global actions beside Play all build on this, so an action the engine adds
 * shows up without more work here.
 */

import { choiceLabel, parseValue, propLabel, rangeText } from "../document/fields.js";
import { t } from "../core/i18n.js";

/**
 * What the engine said each node meets now: {node id: [requirement names]} (a frame's `met`, or
 * the `met` of the state after a load). The page never evaluates a requirement itself.
 * @typedef {Record<string, string[]>} Met
 */

/**
 * The actions that apply to a node, in catalog order: its kind is among the action's targets and
 * the engine says the node meets every requirement the action lists (a spare shard for add_shard, ...).
 * @param {object} catalog
 * @param {{id: string, kind: string}} node
 * @param {Met} met
 * @returns {[string, object][]}
 */
export function actionsFor(catalog, node, met) {
  return Object.entries(catalog.actions ?? {}).filter(
    ([, spec]) =>
      spec.needs_target !== false &&
      (spec.targets == null ? node.kind !== "users" : spec.targets.includes(node.kind)) &&
      (spec.requires ?? []).every((name) => met[node.id]?.includes(name)),
  );
}

/**
 * An action's params for a node: a param named after a prop of some kind (scale's workers, size,
 * instances) is the node's own prop, and is left out where the node's kind has no such prop.
 * @param {object} catalog
 * @param {object} spec  the action's catalog entry
 * @param {string} kind
 * @returns {object} the spec with only the params that apply
 */
export function paramsFor(catalog, spec, kind) {
  const kinds = Object.values(catalog.kinds ?? {});
  const params = Object.entries(spec.params ?? {}).filter(
    ([name]) => catalog.kinds?.[kind]?.props?.[name] || !kinds.some((other) => other.props?.[name]),
  );
  return { ...spec, params: Object.fromEntries(params) };
}

/**
 * The actions without a target (a traffic spike, ...).
 * @param {object} catalog
 * @returns {[string, object][]}
 */
export const globalActions = (catalog) => Object.entries(catalog.actions ?? {}).filter(([, spec]) => spec.needs_target === false);

/** Whether an action has settings to fill in before it is sent. */
export const hasParams = (spec) => Object.keys(spec.params ?? {}).length > 0;

/**
 * The button of an action, labelled and explained from the catalog.
 * @param {string} name
 * @param {object} spec  its catalog entry
 * @param {"button" | "submit"} type
 * @returns {HTMLButtonElement}
 */
export function actionButton(name, spec, type) {
  const button = document.createElement("button");
  button.type = type;
  button.className = name === "kill" ? "btn btn-danger-soft" : "btn";
  button.dataset.action = name;
  button.textContent = spec.label ?? name;
  button.title = spec.meaning ?? "";
  return button;
}

/**
 * A form for one action: a field per param and a button that sends it.
 * @param {object} options
 * @param {string} options.name  the action's name ("slow")
 * @param {object} options.spec  its catalog entry
 * @param {string} options.idPrefix  makes the inputs' ids unique on the page
 * @param {string[]} [options.suggestions]  node ids offered for text params (such as the other data center)
 * @param {(params: Record<string, any>) => void} options.onSend
 * @returns {HTMLFormElement}
 */
export function createActionForm({ name, spec, idPrefix, suggestions = [], onSend }) {
  const form = document.createElement("form");
  form.className = "action-form";
  form.dataset.actionForm = name;
  form.noValidate = true;
  const inputs = Object.entries(spec.params ?? {}).map(([param, paramSpec]) =>
    paramField(form, `${idPrefix}-${name}-${param}`, param, paramSpec, suggestions),
  );
  const error = document.createElement("p");
  error.className = "field-error";
  error.setAttribute("role", "alert");
  form.append(error, actionButton(name, spec, "submit"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = {};
    let refused = false;
    for (const { param, paramSpec, input, fieldError } of inputs) {
      const empty = input.value.trim() === "";
      // A param without a default may be left out (scale: workers or size, or both).
      if (empty && paramSpec.default == null) {
        fieldError.textContent = "";
        continue;
      }
      const result = parseValue(paramSpec, input.value, input.validity?.badInput);
      fieldError.textContent = "error" in result ? t(result.error) : "";
      if ("error" in result) refused = true;
      else params[param] = result.value;
    }
    const nothing = spec.at_least_one && Object.keys(params).length === 0;
    error.textContent = nothing ? t("Fill in at least one of these settings.") : "";
    if (!refused && !nothing) onSend(params);
  });
  return form;
}

function paramField(form, id, param, spec, suggestions) {
  const field = document.createElement("div");
  field.className = "field";
  field.dataset.param = param;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = propLabel(param, spec);
  let input;
  if (spec.type === "choice") {
    input = document.createElement("select");
    const choices = spec.default == null ? ["", ...(spec.choices ?? [])] : (spec.choices ?? []);
    for (const choice of choices) input.append(new Option(choice ? choiceLabel(spec, choice) : "—", choice));
    input.value = spec.default ?? "";
  } else {
    input = document.createElement("input");
    const numeric = spec.type === "int" || spec.type === "float";
    input.type = numeric ? "number" : "text";
    if (numeric) {
      if (spec.min != null) input.min = String(spec.min);
      if (spec.max != null) input.max = String(spec.max);
      input.step = spec.type === "int" ? "1" : "any";
    } else if (suggestions.length) {
      const list = document.createElement("datalist");
      list.id = `${id}-list`;
      list.append(...suggestions.map((value) => new Option(value)));
      input.setAttribute("list", list.id);
      field.append(list);
    }
    input.value = spec.default ?? "";
    input.autocomplete = "off";
  }
  input.id = id;
  input.name = param;
  const fieldError = document.createElement("span");
  fieldError.className = "field-error";
  fieldError.setAttribute("role", "alert");
  const help = document.createElement("p");
  help.className = "field-help";
  help.id = `${id}-help`;
  help.textContent = rangeText(spec) + (spec.meaning ?? "");
  input.setAttribute("aria-describedby", help.id);
  field.prepend(label);
  field.append(input, fieldError, help);
  form.append(field);
  return { param, paramSpec: spec, input, fieldError };
}
