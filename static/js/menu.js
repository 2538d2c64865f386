/**
 * The context menu of a node: Kill, Revive and (when editing) Delete.
 */

import { t } from "./i18n.js";

/**
 * @param {object} options
 * @param {HTMLElement} options.root  #context-menu, an empty role="menu" element
 * @param {() => boolean} options.editable
 * @param {(action: string, target: string) => void} options.onAction
 * @param {(id: string) => void} options.onDelete
 * @param {() => boolean} [options.canAct]  whether this page may send live actions (not a student's)
 */
export function createContextMenu({ root, editable, onAction, onDelete, canAct = () => true }) {
  function item(action, run, className = "") {
    const button = document.createElement("button");
    button.dataset.menuAction = action;
    button.type = "button";
    button.setAttribute("role", "menuitem");
    button.className = `menu-item ${className}`;
    button.textContent = t(action[0].toUpperCase() + action.slice(1));
    button.addEventListener("click", () => {
      close();
      run();
    });
    return button;
  }

  /**
   * Open the menu of a node at a point of the window.
   * @param {{id: string}} node
   * @param {number} clientX
   * @param {number} clientY
   */
  function open(node, clientX, clientY) {
    const items = canAct()
      ? [item("kill", () => onAction("kill", node.id), "is-danger"), item("revive", () => onAction("revive", node.id))]
      : [];
    if (editable()) items.push(item("delete", () => onDelete(node.id)));
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
