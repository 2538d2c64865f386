/**
 * The context menu of a node: every live action of the catalog that applies to it, and
 * (when editing) Delete. An action with settings opens its form in the side panel.
 */

import { actionsFor, hasParams } from "../playback/actions.js";
import { t } from "../core/i18n.js";

/**
 * @typedef {{name: string, label: string, run: () => void, danger: boolean}} NodeAction
 */

/**
 * What can be done to a node now: its live actions (an action with settings shows them first,
 * its label ending in "…"), then Delete when editing. The context menu and the toolbar beside
 * the selected node (nodetoolbar.js) both show this list.
 * @param {object} node  the document's node
 * @param {object} options  as createContextMenu's, without root
 * @returns {NodeAction[]}
 */
export function nodeActions(node, { catalog, editable, onAction, onConfigure, onDelete, met, canAct = () => true }) {
  const actions = (canAct() ? actionsFor(catalog, node, met()) : []).map(([name, spec]) =>
    hasParams(spec)
      ? { name, label: `${spec.label}…`, run: () => onConfigure(name), danger: false }
      : { name, label: spec.label, run: () => onAction(name, node.id, {}), danger: name === "kill" },
  );
  if (editable()) actions.push({ name: "delete", label: t("Delete"), run: () => onDelete(node.id), danger: false });
  return actions;
}

/**
 * @param {object} options
 * @param {HTMLElement} options.root  #context-menu, an empty role="menu" element
 * @param {object} options.catalog
 * @param {() => boolean} options.editable
 * @param {(action: string, target: string, params?: object) => void} options.onAction
 * @param {(action: string) => void} options.onConfigure  show the action's settings (the node is selected)
 * @param {(id: string) => void} options.onDelete
 * @param {() => boolean} [options.canAct]  whether this page may send live actions (not a student's)
 * @param {() => import("../playback/actions.js").Met} options.met  the requirements each node meets now
 */
export function createContextMenu({ root, ...options }) {
  function item(action, text, run, className = "") {
    const button = document.createElement("button");
    button.dataset.menuAction = action;
    button.type = "button";
    button.setAttribute("role", "menuitem");
    button.className = `menu-item ${className}`;
    button.textContent = text;
    button.addEventListener("click", () => {
      close();
      run();
    });
    return button;
  }

  /**
   * Open the menu of a node at a point of the window.
   * @param {{id: string, kind: string, props?: object}} node  the document's node
   * @param {number} clientX
   * @param {number} clientY
   */
  function open(node, clientX, clientY) {
    const items = nodeActions(node, options).map(({ name, label, run, danger }) => item(name, label, run, danger ? "is-danger" : ""));
    if (!items.length) return;
    root.replaceChildren(...items);
    root.hidden = false;
    const { innerWidth, innerHeight } = window;
    const { width, height } = root.getBoundingClientRect();
    root.style.left = `${Math.min(clientX, innerWidth - width - 8)}px`;
    root.style.top = `${Math.min(clientY, innerHeight - height - 8)}px`;
    items[0].focus();
  }

  function close() {
    root.hidden = true;
  }

  window.addEventListener(
    "pointerdown",
    (event) => {
      if (!root.hidden && !root.contains(event.target)) close();
    },
    true,
  );
  window.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
  window.addEventListener("blur", close);

  return { open, close };
}
