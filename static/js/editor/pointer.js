/**
 * The pointer on the canvas: what a press starts (a move, a wire, a resize, a rubber band, a
 * pan), the drag until it is let go (drags.js), hovering, the wheel, the context menu and
 * double-click to rename.
 */

import { findNode, membersOf, selectedIds, snap } from "../document/document.js";
import { EDGE_HIT, edgeAt, HANDLE_HIT, handleAt, isBox, nodeAt, resizeGripAt } from "../document/geometry.js";
import { zoomAt } from "../canvas/view.js";
import { DRAGS } from "./drags.js";
import { nodesSelection } from "./selection.js";

/** Reach of a node's handle, in CSS pixels, for a fingertip (a mouse gets HANDLE_HIT). */
const TOUCH_HANDLE_HIT = 16;

/** The pointer's shape over what it hovers. */
function cursorFor({ placing, onHandle, onGrip, node, edge, editable }) {
  if (placing) return "copy";
  if (onHandle) return "crosshair";
  if (onGrip) return "nwse-resize";
  if (node) return editable ? "move" : "pointer";
  return edge ? "pointer" : "";
}

/** What a primary press lands on: a resize grip, a connection handle, a node or an edge. */
function pressedOn({ store, ui, editable }, event, world) {
  if (event.button !== 0) return {};
  const nodes = store.doc.nodes;
  const reach = (event.pointerType === "touch" ? TOUCH_HANDLE_HIT : HANDLE_HIT) / ui.view.zoom;
  const handleNode = editable() ? handleAt(nodes, world.x, world.y, reach) : null;
  const grip = editable() && !handleNode ? resizeGripAt(nodes, world.x, world.y, reach) : null;
  const under = nodeAt(nodes, world.x, world.y);
  // An edge running across a data center is picked before the box around it.
  const edge = (!under || isBox(under)) && !handleNode ? edgeAt(store.doc, world.x, world.y, EDGE_HIT / ui.view.zoom) : null;
  return { grip, handleNode, edge, node: edge ? null : under };
}

/** Select what a press lands on and return the drag it starts, or null. */
function press(ctx, event, { sx, sy, world }) {
  const { store, ui, editable, select } = ctx;
  const { grip, handleNode, edge, node } = pressedOn(ctx, event, world);
  if (grip) {
    select({ type: "node", id: grip.id });
    return { type: "resize", id: grip.id, before: [grip.x, grip.y, grip.width, grip.height], moved: false };
  }
  if (handleNode) {
    ui.connecting = { from: handleNode.id, x: world.x, y: world.y, target: null, refused: null };
    select({ type: "node", id: handleNode.id });
    return { type: "connect" };
  }
  const ids = selectedIds(ui.selection);
  if (node && event.shiftKey) {
    select(nodesSelection(ids.includes(node.id) ? ids.filter((id) => id !== node.id) : [...ids, node.id]));
    return null;
  }
  if (node) {
    const moving = ids.includes(node.id) ? ids : [node.id];
    // A data center carries the components sitting in it.
    const carried = [...new Set([...moving, ...membersOf(store.doc, moving)])];
    const start = carried.map((id) => findNode(store.doc, id)).map((n) => [n.id, n.x, n.y]);
    select(nodesSelection(moving));
    return editable() ? { type: "move", start, origin: world, sx, sy, moved: false } : null;
  }
  if (event.shiftKey && event.button === 0) {
    ui.band = { x0: world.x, y0: world.y, x1: world.x, y1: world.y };
    return { type: "band" };
  }
  if (edge) {
    select({ type: "edge", from: edge.from, to: edge.to });
    return null;
  }
  if (event.button === 0) select(null);
  ctx.canvas.classList.add("is-panning");
  return { type: "pan", sx, sy, view: ui.view };
}

/**
 * Attach the pointer handlers to the editor's canvas.
 * @param {object} ctx  the editor's context: canvas, store, ui, bus, editable, catalog, local,
 *   select, redraw, onRefusedEdge, onContextMenu, and `arm` / `placeAt` for the palette's kind
 * @returns {{cancel: () => void, get dragging(): boolean}}
 */
export function createPointer(ctx) {
  const { canvas, store, ui, bus, editable, local, select, redraw } = ctx;
  let drag = null;

  function onPointerDown(event) {
    if (event.button === 2) return;
    canvas.focus({ preventScroll: true });
    if (event.button === 0 && ui.placing) {
      ctx.placeAt(ui.placing, event.clientX, event.clientY);
      ctx.arm(null);
      return;
    }
    drag = press(ctx, event, local(event));
    if (drag) canvas.setPointerCapture(event.pointerId);
  }

  function onPointerMove(event) {
    const point = local(event);
    if (!drag) return hover(point.world);
    if (DRAGS[drag.type].move(ctx, drag, point) !== false) redraw();
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
    if (drag) DRAGS[drag.type].finish?.(ctx, drag);
    drag = null;
    cancel();
  }

  /** Stop whatever the pointer was doing. */
  function cancel() {
    if (drag) DRAGS[drag.type].cancel?.(ctx, drag);
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

  function onContextMenu(event) {
    event.preventDefault();
    const { world } = local(event);
    const node = nodeAt(store.doc.nodes, world.x, world.y);
    if (!node) return;
    select({ type: "node", id: node.id });
    ctx.onContextMenu(node, event.clientX, event.clientY);
  }

  function onDoubleClick(event) {
    const { world } = local(event);
    const node = nodeAt(store.doc.nodes, world.x, world.y);
    if (node && editable()) bus.emit("ui:rename", node.id);
  }

  canvas.addEventListener("pointerdown", onPointerDown);
  canvas.addEventListener("pointermove", onPointerMove);
  canvas.addEventListener("pointerup", onPointerUp);
  canvas.addEventListener("pointercancel", onPointerUp);
  canvas.addEventListener("pointerleave", onPointerLeave);
  canvas.addEventListener("wheel", onWheel, { passive: false });
  canvas.addEventListener("contextmenu", onContextMenu);
  canvas.addEventListener("dblclick", onDoubleClick);

  return {
    cancel,
    get dragging() {
      return drag !== null;
    },
  };
}
