/**
 * The context menu of a node: every live action of the catalog that applies to it, and
 * (when editing) Delete. An action with settings opens its form in the side panel.
 */

import { actionsFor, hasParams } from "../playback/actions.js";
import { t } from "../core/i18n.js";

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
export function createContextMenu({ root, catalog, editable, onAction, onConfigure, onDelete, met, canAct = () => true }) {
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
    const items = (canAct() ? actionsFor(catalog, node, met()) : []).map(([name, spec]) =>
      hasParams(spec)
        ? item(name, `${spec.label}…`, () => onConfigure(name))
        : item(name, spec.label, () => onAction(name, node.id, {}), name === "kill" ? "is-danger" : ""),
    );
    if (editable()) items.push(item("delete", t("Delete"), () => onDelete(node.id)));
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
