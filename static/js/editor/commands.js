/**
 * What the editor does on request, whatever asked (a key, a button, the clipboard): delete the
 * selection, copy, paste and duplicate components, nudge them by grid steps, and move the view.
 */

import { findNode, GRID, selectedIds } from "../document/document.js";
import { nodeBox } from "../document/geometry.js";
import { fitView, panBy, zoomAt } from "../canvas/view.js";
import { nodesSelection } from "./selection.js";

/** CSS pixels an arrow key pans the view by when nothing is selected. */
const ARROW_PAN = 40;

/**
 * @param {object} ctx  the editor's context: canvas, store, ui, editable, select, redraw
 */
export function createCommands({ canvas, store, ui, editable, select, redraw }) {
  function deleteSelection() {
    const selection = ui.selection;
    if (!selection || !editable()) return;
    if (selection.type === "edge") store.deleteEdge(selection.from, selection.to);
    else store.deleteNodes(selectedIds(selection));
    select(null);
  }

  /** The selected nodes and the edges between them, or null when no node is selected. */
  function copyable() {
    const ids = new Set(selectedIds(ui.selection));
    if (!ids.size) return null;
    return structuredClone({
      nodes: store.doc.nodes.filter((node) => ids.has(node.id)),
      edges: store.doc.edges.filter((edge) => ids.has(edge.from) && ids.has(edge.to)),
    });
  }

  /** Add copies of components, moved by an offset, and select them. */
  function pasteComponents({ nodes, edges }, offset) {
    if (!editable()) return;
    select(nodesSelection(store.paste(nodes, edges, offset)));
  }

  /** Paste a copy of the selection beside it; whether anything was duplicated. */
  function duplicate() {
    const components = copyable();
    if (components) pasteComponents(components, 40);
    return Boolean(components && editable());
  }

  /** Move the selected nodes by whole grid steps (one edit), or pan when nothing is selected. */
  function nudge([dx, dy], steps) {
    const ids = selectedIds(ui.selection);
    if (!ids.length) {
      ui.view = panBy(ui.view, -dx * ARROW_PAN * steps, -dy * ARROW_PAN * steps);
      redraw();
      return;
    }
    if (!editable()) return;
    const moves = ids.map((id) => findNode(store.doc, id)).map((n) => [n.id, n.x + dx * GRID * steps, n.y + dy * GRID * steps]);
    store.moveNodes(moves, true);
  }

  /** @param {import("../canvas/view.js").View} view */
  function setView(view) {
    ui.view = view;
    redraw();
  }

  const size = () => canvas.getBoundingClientRect();

  return {
    deleteSelection,
    copyable,
    pasteComponents,
    duplicate,
    nudge,
    setView,
    /**
     * Zoom around the centre of the canvas.
     * @param {number} factor
     */
    zoomBy(factor) {
      const rect = size();
      setView(zoomAt(ui.view, rect.width / 2, rect.height / 2, factor));
    },
    /** Show every node, zoomed out as far as needed (never in past 100%). */
    fit() {
      const rect = size();
      setView(fitView(store.doc.nodes.map(nodeBox), rect.width, rect.height));
    },
    /** Back to 100%, keeping the centre of the canvas where it is. */
    actualSize() {
      const rect = size();
      setView(zoomAt(ui.view, rect.width / 2, rect.height / 2, 1 / ui.view.zoom));
    },
  };
}
