/**
 * What a drag on the canvas does, by its type: each type says how the pointer moving changes the
 * drawing (`move`), what letting go keeps (`finish`) and how Escape undoes it (`cancel`).
 *
 * A drag is a plain object {type, ...}; the handlers get the editor's context
 * ({store, ui, catalog, select, onRefusedEdge}), the drag and the pointer ({sx, sy, world}).
 */

import { findNode } from "../document/document.js";
import { canConnect } from "../document/edges.js";
import { isBox, nodeAt } from "../document/geometry.js";
import { panBy } from "../canvas/view.js";
import { inBand, nodesSelection } from "./selection.js";

/** Pointer travel, in CSS pixels, before a press on a node becomes a move. */
const DRAG_THRESHOLD = 3;

const connect = {
  move({ store, ui, catalog }, drag, { world }) {
    const target = nodeAt(store.doc.nodes, world.x, world.y, 6);
    const from = findNode(store.doc, ui.connecting.from);
    // Empty space inside a data center is no target.
    const other = target && target.id !== ui.connecting.from && !isBox(target) ? target : null;
    const allowed = other && canConnect(catalog, from, other);
    Object.assign(ui.connecting, {
      x: world.x,
      y: world.y,
      target: allowed ? other.id : null,
      refused: other && !allowed ? other.id : null,
    });
  },
  finish({ store, ui, onRefusedEdge }) {
    if (ui.connecting.target) store.addEdge(ui.connecting.from, ui.connecting.target);
    if (ui.connecting.refused)
      onRefusedEdge(findNode(store.doc, ui.connecting.from), findNode(store.doc, ui.connecting.refused));
  },
};

const move = {
  move({ store }, drag, { sx, sy, world }) {
    if (!drag.moved && Math.hypot(sx - drag.sx, sy - drag.sy) < DRAG_THRESHOLD) return false;
    drag.moved = true;
    const [dx, dy] = [world.x - drag.origin.x, world.y - drag.origin.y];
    store.moveNodes(
      drag.start.map(([id, x, y]) => [id, x + dx, y + dy]),
      false,
    );
  },
  finish({ store }, drag) {
    if (drag.moved) store.moveNodes([], true);
  },
  // A move not yet finished goes back where it started.
  cancel({ store }, drag) {
    if (drag.moved && drag.start) store.moveNodes(drag.start, false);
  },
};

const resize = {
  move({ store }, drag, { world }) {
    drag.moved = true;
    store.resizeBox(drag.id, world.x, world.y, false);
  },
  finish({ store }, drag) {
    if (!drag.moved) return;
    const box = findNode(store.doc, drag.id);
    store.resizeBox(drag.id, box.x + box.width / 2, box.y + box.height / 2, true);
  },
  cancel({ store }, drag) {
    if (!drag.moved) return;
    const [x, y, width, height] = drag.before;
    store.resizeBox(drag.id, x + width / 2, y + height / 2, false);
  },
};

const band = {
  move({ ui }, drag, { world }) {
    Object.assign(ui.band, { x1: world.x, y1: world.y });
  },
  finish({ store, ui, select }) {
    select(nodesSelection(store.doc.nodes.filter((n) => inBand(n, ui.band)).map((n) => n.id)));
  },
};

const pan = {
  move({ ui }, drag, { sx, sy }) {
    ui.view = panBy(drag.view, sx - drag.sx, sy - drag.sy);
  },
};

/**
 * The handlers of each drag type; a handler a type does not need is left out.
 * @type {Record<string, {move: Function, finish?: Function, cancel?: Function}>}
 */
export const DRAGS = { connect, move, resize, band, pan };
