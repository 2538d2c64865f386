/**
 * Pointer and keyboard interactions on the canvas: select (click, shift-click, shift-drag a
 * rubber band), move, connect, pan, zoom, place, delete, copy and paste, nudge with the arrow
 * keys. The editor changes the interface state and edits the document through the store;
 * drawing is left to render.js.
 */

import { findNode, GRID, membersOf, selectedIds, snap } from "../document/document.js";
import { EDGE_HIT, edgeAt, HANDLE_HIT, handleAt, isBox, nodeAt, nodeBox, resizeGripAt } from "../canvas/geometry.js";
import { createClipboard } from "./clipboard.js";
import { canConnect } from "../document/edges.js";
import { createPinch } from "./touch.js";
import { createView, fitView, panBy, toWorld, zoomAt } from "../canvas/view.js";

/** Pointer travel, in CSS pixels, before a press on a node becomes a move. */
const DRAG_THRESHOLD = 3;
/** Reach of a node's handle, in CSS pixels, for a fingertip (a mouse gets HANDLE_HIT). */
const TOUCH_HANDLE_HIT = 16;
/** CSS pixels an arrow key pans the view by when nothing is selected. */
const ARROW_PAN = 40;
const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/**
 * @typedef {object} UiState  the interface state the editor owns (read by render.js)
 * @property {import("../canvas/view.js").View} view
 * @property {import("../canvas/render.js").Scene["selection"]} selection
 * @property {string | null} hover
 * @property {import("../canvas/render.js").Scene["connecting"]} connecting
 * @property {import("../canvas/render.js").Scene["ghost"]} ghost
 * @property {string | null} placing  kind armed from the palette, placed by the next click
 * @property {{x0: number, y0: number, x1: number, y1: number} | null} band  a rubber band (world)
 */

/** @returns {UiState} */
export const createUiState = () => ({
  view: createView(),
  selection: null,
  hover: null,
  connecting: null,
  ghost: null,
  placing: null,
  band: null,
});

/** A selection of these node ids (one node, several or none). @param {string[]} ids */
const nodesSelection = (ids) =>
  ids.length > 1 ? { type: "nodes", ids } : ids.length ? { type: "node", id: ids[0] } : null;

/**
 * Whether a keyboard event belongs to a text field or an open dialog rather than to the canvas.
 * @param {KeyboardEvent} event
 */
function typingElsewhere(event) {
  const target = /** @type {HTMLElement} */ (event.target);
  return Boolean(
    target.closest?.("input, textarea, select, [contenteditable=''], [contenteditable=true], dialog[open], [role=menu]"),
  );
}

/** The pointer's shape over what it hovers. */
function cursorFor({ placing, onHandle, onGrip, node, edge, editable }) {
  if (placing) return "copy";
  if (onHandle) return "crosshair";
  if (onGrip) return "nwse-resize";
  if (node) return editable ? "move" : "pointer";
  return edge ? "pointer" : "";
}

/**
 * Attach the editor to a canvas.
 * @param {object} options
 * @param {HTMLCanvasElement} options.canvas
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {UiState} options.ui
 * @param {import("../core/bus.js").Bus} options.bus  publishes "ui:selection", "ui:hover" (a node id or null) and "ui:redraw"
 * @param {() => boolean} options.editable  false on a read-only page: select only
 * @param {(node: object, clientX: number, clientY: number) => void} options.onContextMenu
 * @param {object} options.catalog  which kinds may connect to which (edges.js)
 * @param {(from: object, to: object) => void} [options.onRefusedEdge]  a wire dropped on a node it cannot reach
 */
export function createEditor({ canvas, store, ui, bus, editable, onContextMenu, catalog, onRefusedEdge = () => {} }) {
  let drag = null;
  const redraw = () => bus.emit("ui:redraw");

  function local(event) {
    const rect = canvas.getBoundingClientRect();
    const [sx, sy] = [event.clientX - rect.left, event.clientY - rect.top];
    return {
      sx,
      sy,
      inside: sx >= 0 && sy >= 0 && sx <= rect.width && sy <= rect.height,
      world: toWorld(ui.view, sx, sy),
    };
  }

  function select(selection) {
    ui.selection = selection;
    bus.emit("ui:selection", selection);
    redraw();
  }

  function arm(kind) {
    ui.placing = kind;
    if (!kind) ui.ghost = null;
    bus.emit("ui:placing", kind);
    redraw();
  }

  function placeAt(kind, clientX, clientY) {
    const point = local({ clientX, clientY });
    ui.ghost = null;
    if (!point.inside || !editable()) {
      redraw();
      return false;
    }
    const node = store.addNode(kind, point.world.x, point.world.y);
    select({ type: "node", id: node.id });
    return true;
  }

  function previewAt(kind, clientX, clientY) {
    const point = local({ clientX, clientY });
    ui.ghost = point.inside && kind ? { kind, x: snap(point.world.x), y: snap(point.world.y) } : null;
    redraw();
  }

  function onPointerDown(event) {
    if (event.button === 2) return;
    const { sx, sy, world } = local(event);
    const zoom = ui.view.zoom;
    canvas.focus({ preventScroll: true });
    if (event.button === 0 && ui.placing) {
      placeAt(ui.placing, event.clientX, event.clientY);
      arm(null);
      return;
    }
    const nodes = store.doc.nodes;
    const reach = (event.pointerType === "touch" ? TOUCH_HANDLE_HIT : HANDLE_HIT) / zoom;
    const handleNode = event.button === 0 && editable() ? handleAt(nodes, world.x, world.y, reach) : null;
    const grip = event.button === 0 && editable() && !handleNode ? resizeGripAt(nodes, world.x, world.y, reach) : null;
    const under = event.button === 0 ? nodeAt(nodes, world.x, world.y) : null;
    // An edge running across a data center is picked before the box around it.
    const edge =
      event.button === 0 && (!under || isBox(under)) && !handleNode
        ? edgeAt(store.doc, world.x, world.y, EDGE_HIT / zoom)
        : null;
    const node = edge ? null : under;
    if (grip) {
      drag = { type: "resize", id: grip.id, before: [grip.x, grip.y, grip.width, grip.height], moved: false };
      select({ type: "node", id: grip.id });
    } else if (handleNode) {
      drag = { type: "connect" };
      ui.connecting = { from: handleNode.id, x: world.x, y: world.y, target: null, refused: null };
      select({ type: "node", id: handleNode.id });
    } else if (node && event.shiftKey) {
      const ids = selectedIds(ui.selection);
      select(nodesSelection(ids.includes(node.id) ? ids.filter((id) => id !== node.id) : [...ids, node.id]));
    } else if (node) {
      const ids = selectedIds(ui.selection).includes(node.id) ? selectedIds(ui.selection) : [node.id];
      // A data center carries the components sitting in it.
      const carried = [...new Set([...ids, ...membersOf(store.doc, ids)])];
      const start = carried.map((id) => findNode(store.doc, id)).map((n) => [n.id, n.x, n.y]);
      drag = editable() ? { type: "move", start, origin: world, sx, sy, moved: false } : null;
      select(nodesSelection(ids));
    } else if (event.shiftKey && event.button === 0) {
      drag = { type: "band" };
      ui.band = { x0: world.x, y0: world.y, x1: world.x, y1: world.y };
    } else if (edge) {
      select({ type: "edge", from: edge.from, to: edge.to });
    } else {
      if (event.button === 0) select(null);
      drag = { type: "pan", sx, sy, view: ui.view };
      canvas.classList.add("is-panning");
    }
    if (drag) canvas.setPointerCapture(event.pointerId);
  }

  function onPointerMove(event) {
    const { sx, sy, world } = local(event);
    if (!drag) return hover(world);
    if (drag.type === "connect") {
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
    } else if (drag.type === "move") {
      if (!drag.moved && Math.hypot(sx - drag.sx, sy - drag.sy) < DRAG_THRESHOLD) return;
      drag.moved = true;
      const [dx, dy] = [world.x - drag.origin.x, world.y - drag.origin.y];
      store.moveNodes(drag.start.map(([id, x, y]) => [id, x + dx, y + dy]), false);
    } else if (drag.type === "resize") {
      drag.moved = true;
      store.resizeBox(drag.id, world.x, world.y, false);
    } else if (drag.type === "band") {
      Object.assign(ui.band, { x1: world.x, y1: world.y });
    } else if (drag.type === "pan") {
      ui.view = panBy(drag.view, sx - drag.sx, sy - drag.sy);
    }
    redraw();
  }

  function hover(world) {
    const zoom = ui.view.zoom;
    const nodes = store.doc.nodes;
    const onHandle = editable() ? handleAt(nodes, world.x, world.y, HANDLE_HIT / zoom) : null;
    const onGrip = editable() && !onHandle ? resizeGripAt(nodes, world.x, world.y, HANDLE_HIT / zoom) : null;
    const node = onHandle ?? onGrip ?? nodeAt(nodes, world.x, world.y);
    const edge = node && !isBox(node) ? null : edgeAt(store.doc, world.x, world.y, EDGE_HIT / zoom);
    canvas.style.cursor = cursorFor({ placing: ui.placing, onHandle, onGrip, node: edge ? null : node, edge, editable: editable() });
    ui.ghost = ui.placing ? { kind: ui.placing, x: snap(world.x), y: snap(world.y) } : null;
    const id = node?.id ?? null;
    const changed = ui.hover !== id;
    ui.hover = id;
    if (changed) bus.emit("ui:hover", id);
    if (changed || ui.placing) redraw();
  }

  function onPointerUp() {
    if (drag?.type === "connect" && ui.connecting.target) store.addEdge(ui.connecting.from, ui.connecting.target);
    if (drag?.type === "connect" && ui.connecting.refused)
      onRefusedEdge(findNode(store.doc, ui.connecting.from), findNode(store.doc, ui.connecting.refused));
    if (drag?.type === "move" && drag.moved) store.moveNodes([], true);
    if (drag?.type === "resize" && drag.moved) {
      const box = findNode(store.doc, drag.id);
      store.resizeBox(drag.id, box.x + box.width / 2, box.y + box.height / 2, true);
    }
    if (drag?.type === "band") select(nodesSelection(store.doc.nodes.filter((n) => inBand(n, ui.band)).map((n) => n.id)));
    drag = null;
    cancel();
  }

  function inBand(node, band) {
    const [left, right] = [Math.min(band.x0, band.x1), Math.max(band.x0, band.x1)];
    const [top, bottom] = [Math.min(band.y0, band.y1), Math.max(band.y0, band.y1)];
    return node.x >= left && node.x <= right && node.y >= top && node.y <= bottom;
  }

  /** Stop whatever the pointer was doing; a move not yet finished goes back where it started. */
  function cancel() {
    if (drag?.type === "move" && drag.moved && drag.start) store.moveNodes(drag.start, false);
    if (drag?.type === "resize" && drag.moved) {
      const [x, y, width, height] = drag.before;
      store.resizeBox(drag.id, x + width / 2, y + height / 2, false);
    }
    ui.connecting = null;
    ui.band = null;
    drag = null;
    canvas.classList.remove("is-panning");
    redraw();
  }

  function onPointerLeave() {
    if (drag) return;
    if (ui.hover) bus.emit("ui:hover", null);
    ui.hover = null;
    ui.ghost = null;
    redraw();
  }

  function onWheel(event) {
    event.preventDefault();
    const { sx, sy } = local(event);
    const scale = event.deltaMode === 1 ? 0.05 : 0.0015;
    ui.view = zoomAt(ui.view, sx, sy, Math.exp(-event.deltaY * scale));
    redraw();
  }

  function onContextMenuEvent(event) {
    event.preventDefault();
    const { world } = local(event);
    const node = nodeAt(store.doc.nodes, world.x, world.y);
    if (!node) return;
    select({ type: "node", id: node.id });
    onContextMenu(node, event.clientX, event.clientY);
  }

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

  function onKeyDown(event) {
    if (typingElsewhere(event)) return;
    if (event.key === "Delete" || event.key === "Backspace") {
      if (!ui.selection) return;
      event.preventDefault();
      deleteSelection();
    } else if (event.key === "Escape") {
      if (drag) cancel();
      else if (ui.placing) arm(null);
      else select(null);
    } else if (event.key in ARROWS && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      nudge(ARROWS[event.key], event.shiftKey ? 5 : 1);
    } else if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "d") {
      // Copy and paste go through the clipboard's own events (clipboard.js).
      if (duplicate()) event.preventDefault();
    }
  }

  /** @param {import("../canvas/view.js").View} view */
  function setView(view) {
    ui.view = view;
    redraw();
  }

  function onDoubleClick(event) {
    const { world } = local(event);
    const node = nodeAt(store.doc.nodes, world.x, world.y);
    if (node && editable()) bus.emit("ui:rename", node.id);
  }

  createPinch({ canvas, view: () => ui.view, setView, onStart: cancel });
  createClipboard({ copyable, paste: pasteComponents, editable });
  canvas.addEventListener("pointerdown", onPointerDown);
  canvas.addEventListener("pointermove", onPointerMove);
  canvas.addEventListener("pointerup", onPointerUp);
  canvas.addEventListener("pointercancel", onPointerUp);
  canvas.addEventListener("pointerleave", onPointerLeave);
  canvas.addEventListener("wheel", onWheel, { passive: false });
  canvas.addEventListener("contextmenu", onContextMenuEvent);
  canvas.addEventListener("dblclick", onDoubleClick);
  window.addEventListener("keydown", onKeyDown);

  return {
    select,
    arm,
    placeAt,
    previewAt,
    deleteSelection,
    /** Stop a drag, a wire or a rubber band in progress. */
    cancel,
    /**
     * Zoom around the centre of the canvas.
     * @param {number} factor
     */
    zoomBy(factor) {
      const rect = canvas.getBoundingClientRect();
      ui.view = zoomAt(ui.view, rect.width / 2, rect.height / 2, factor);
      redraw();
    },
    setView,
    /** Show every node, zoomed out as far as needed (never in past 100%). */
    fit() {
      const rect = canvas.getBoundingClientRect();
      ui.view = fitView(store.doc.nodes.map(nodeBox), rect.width, rect.height);
      redraw();
    },
    /** Back to 100%, keeping the centre of the canvas where it is. */
    actualSize() {
      const rect = canvas.getBoundingClientRect();
      ui.view = zoomAt(ui.view, rect.width / 2, rect.height / 2, 1 / ui.view.zoom);
      redraw();
    },
  };
}
