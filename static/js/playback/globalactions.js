/**
 * The live actions without a target (a traffic spike, ...) beside Play: each opens a small form of
 * its settings, taken from the catalog.
 */

import { createActionForm, globalActions, hasParams } from "./actions.js";

/**
 * @param {object} options
 * @param {HTMLElement} options.root  #global-actions
 * @param {object} options.catalog
 * @param {(action: string, target: null, params: object) => void} options.onAction
 * A live class's students do not see them (app.css, body[data-live-role="student"]).
 */
export function createGlobalActions({ root, catalog, onAction }) {
  const entries = globalActions(catalog).map(([name, spec]) => {
    if (!hasParams(spec)) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn";
      button.dataset.globalAction = name;
      button.textContent = spec.label;
      button.title = spec.meaning ?? "";
      button.addEventListener("click", () => onAction(name, null, {}));
      return button;
    }
    const details = document.createElement("details");
    details.className = "global-action";
    details.dataset.globalAction = name;
    const summary = document.createElement("summary");
    summary.className = "btn";
    summary.textContent = spec.label;
    summary.title = spec.meaning ?? "";
    const popover = document.createElement("div");
    popover.className = "global-action-popover";
    const meaning = document.createElement("p");
    meaning.className = "field-help";
    meaning.textContent = spec.meaning ?? "";
    const form = createActionForm({
      name,
      spec,
      idPrefix: "global",
      onSend: (params) => {
        details.open = false;
        onAction(name, null, params);
      },
    });
    popover.append(meaning, form);
    details.append(summary, popover);
    // One open at a time, and closed by a press anywhere else or Escape.
    details.addEventListener("toggle", () => {
      if (details.open) root.querySelectorAll("details[open]").forEach((other) => other !== details && (other.open = false));
    });
    return details;
  });
  root.replaceChildren(...entries);
  root.hidden = !entries.length;
  document.addEventListener("pointerdown", (event) => {
    if (!root.contains(event.target)) root.querySelectorAll("details[open]").forEach((open) => (open.open = false));
  });
  root.addEventListener("keydown", (event) => {
    const open = root.querySelector("details[open]");
    if (event.key === "Escape" && open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
}
