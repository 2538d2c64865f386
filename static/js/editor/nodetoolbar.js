/**
 * A toolbar just above the selected node with what can be done to it (Kill, Slow…, Delete, …),
 * as Excalidraw, tldraw and draw.io put a shape's actions next to the shape: the same list as
 * the context menu (menu.js), where the eye already is, and the way a finger reaches them.
 * A last button opens the whole menu and says that a right-click does too.
 */

import { findNode } from "../document/document.js";
import { t } from "../core/i18n.js";
import { toScreen } from "../canvas/view.js";
import { HALF_HEIGHT } from "../document/geometry.js";
import { nodeActions } from "./menu.js";

/** Space between the toolbar and the node's top edge, in CSS pixels. */
const GAP = 10;

/**
 * @param {object} options
 * @param {HTMLCanvasElement} options.canvas
 * @param {HTMLElement} options.container  positioned ancestor of the canvas (the stage)
 * @param {import("../core/bus.js").Bus} options.bus  listens to "ui:selection", "ui:redraw", "doc:change", "sim:met" and "sim:gauges"
 * @param {{doc: object}} options.store
 * @param {import("./editor.js").UiState} options.ui
 * @param {object} options.actions  the options of nodeActions (catalog, editable, onAction, ...)
 * @param {(node: object, clientX: number, clientY: number) => void} options.openMenu
 * @param {HTMLElement} options.menuRoot  the context menu: while it is open it shows the same list, so the toolbar steps aside
 */
export function createNodeToolbar({ canvas, container, bus, store, ui, actions, openMenu, menuRoot }) {
  const bar = document.createElement("div");
  bar.className = "node-toolbar";
  bar.setAttribute("role", "toolbar");
  bar.hidden = true;
  container.append(bar);
  let nodeId = null;
  let placing = 0;
  // The live numbers refresh the actions several times a second: the buttons are rebuilt only
  // when they change, so a press is never lost to a button replaced under the finger.
  let shown = "";
  /** Up or down as the newest frame says: Kill is for a node that is up, Revive for one that is down. */
  let up = {};

  function button(text, run, className = "") {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `node-tool ${className}`;
    element.textContent = text;
    element.addEventListener("click", run);
    return element;
  }

  function build() {
    const node = nodeId ? findNode(store.doc, nodeId) : null;
    const items = node ? nodeActions(node, actions) : [];
    bar.hidden = !items.length;
    const signature = JSON.stringify([node?.id, node?.label, up[node?.id], items.map(({ name, label }) => [name, label])]);
    if (signature === shown) return place();
    shown = signature;
    if (!items.length) return;
    bar.setAttribute("aria-label", t("Actions of {name}", { name: node.label || node.id }));
    bar.dataset.node = node.id;
    const buttons = items.map(({ name, label, run, danger }) => {
      const element = button(label, run, danger ? "is-danger" : "");
      element.dataset.nodeAction = name;
      element.disabled = (name === "kill" && up[node.id] === false) || (name === "revive" && up[node.id] === true);
      return element;
    });
    const more = button("⋯", () => {
      const box = more.getBoundingClientRect();
      openMenu(node, box.left, box.bottom + 4);
    }, "node-tool-more");
    more.setAttribute("aria-label", t("More: the node's menu"));
    more.title = t("All actions of this node. Right-click a node for the same menu.");
    bar.replaceChildren(...buttons, more);
    place();
  }

  /** Centred above the node, else below it; inside the stage while the node is in sight. */
  function place() {
    const node = nodeId ? findNode(store.doc, nodeId) : null;
    if (!node || bar.hidden) return;
    const [canvasBox, stageBox] = [canvas.getBoundingClientRect(), container.getBoundingClientRect()];
    const at = (y) => {
      const point = toScreen(ui.view, node.x, y);
      return { x: canvasBox.left - stageBox.left + point.x, y: canvasBox.top - stageBox.top + point.y };
    };
    const [width, height] = [bar.offsetWidth, bar.offsetHeight];
    const above = at(node.y - HALF_HEIGHT);
    const below = at(node.y + HALF_HEIGHT);
    // A node panned or zoomed out of sight takes its toolbar along, rather than leaving it
    // pinned to the stage's edge over the zoom buttons.
    bar.classList.toggle("is-away", below.y < 0 || above.y > stageBox.height || above.x < 0 || above.x > stageBox.width);
    let top = above.y - GAP - height;
    if (top < 8) top = below.y + GAP;
    bar.style.left = `${Math.max(8, Math.min(above.x - width / 2, stageBox.width - width - 8))}px`;
    bar.style.top = `${Math.max(8, Math.min(top, stageBox.height - height - 8))}px`;
  }

  function placeSoon() {
    placing ||= requestAnimationFrame(() => {
      placing = 0;
      place();
    });
  }

  bus.on("ui:selection", (selection) => {
    nodeId = selection?.type === "node" ? selection.id : null;
    build();
  });
  bus.on("doc:change", (change) => (change.kind === "layout" ? placeSoon() : build()));
  bus.on("sim:met", build);
  bus.on("sim:gauges", (gauges) => {
    up = Object.fromEntries(Object.entries(gauges).map(([id, gauge]) => [id, gauge.up]));
    if (nodeId) build();
  });
  bus.on("ui:redraw", placeSoon);
  window.addEventListener("resize", placeSoon);
  new MutationObserver(() => bar.classList.toggle("is-away-for-menu", !menuRoot.hidden)).observe(menuRoot, {
    attributes: true,
    attributeFilter: ["hidden"],
  });
  return { refresh: build };
}
