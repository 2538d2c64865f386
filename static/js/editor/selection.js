/**
 * What is selected on the canvas (a node, several nodes, an edge or nothing) and the questions
 * asked of it.
 */

import { findNode } from "../document/document.js";

/** A selection of these node ids (one node, several or none). @param {string[]} ids */
export const nodesSelection = (ids) =>
  ids.length > 1 ? { type: "nodes", ids } : ids.length ? { type: "node", id: ids[0] } : null;

/**
 * Whether a selection points at a node or edge that no longer exists.
 * @param {object} doc
 * @param {import("../canvas/render.js").Scene["selection"]} selection
 */
export function dangling(doc, selection) {
  if (selection?.type === "node") return !findNode(doc, selection.id);
  if (selection?.type === "nodes") return selection.ids.some((id) => !findNode(doc, id));
  if (selection?.type === "edge") return !doc.edges.some((e) => e.from === selection.from && e.to === selection.to);
  return false;
}

/**
 * Whether a node's centre lies inside a rubber band.
 * @param {{x: number, y: number}} node
 * @param {{x0: number, y0: number, x1: number, y1: number}} band
 */
export function inBand(node, band) {
  const [left, right] = [Math.min(band.x0, band.x1), Math.max(band.x0, band.x1)];
  const [top, bottom] = [Math.min(band.y0, band.y1), Math.max(band.y0, band.y1)];
  return node.x >= left && node.x <= right && node.y >= top && node.y <= bottom;
}
