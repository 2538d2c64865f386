/**
 * Nodes stacked exactly on each other look like one node: the one below can no longer be seen,
 * clicked or wired. Wherever nodes land (added, pasted, dropped), one that would sit on the
 * centre of another is nudged diagonally until it has a place of its own.
 */

import { isBox } from "./geometry.js";

/** The nudge, in world units: two grid steps, so the node below still shows a corner. */
export const NUDGE = 40;

const centre = (node) => `${node.x},${node.y}`;

/**
 * Move the nodes among `ids` that share a centre with another node (data-center boxes are
 * regions that nodes sit in, so they never count). Changes the document in place.
 * @param {{nodes: object[]}} doc
 * @param {Iterable<string>} [ids]  the nodes that just landed; all of them when left out
 * @returns {string[]} the ids of the nodes moved
 */
export function unstack(doc, ids) {
  const landed = ids ? new Set(ids) : null;
  const placed = new Set();
  const moved = [];
  const nodes = doc.nodes.filter((node) => !isBox(node));
  // Nodes that did not just land keep their place; those that did are placed after them.
  const staying = nodes.filter((node) => landed && !landed.has(node.id));
  for (const node of staying) placed.add(centre(node));
  for (const node of nodes.filter((node) => !staying.includes(node))) {
    let nudged = false;
    while (placed.has(centre(node))) {
      node.x += NUDGE;
      node.y += NUDGE;
      nudged = true;
    }
    placed.add(centre(node));
    if (nudged) moved.push(node.id);
  }
  return moved;
}
