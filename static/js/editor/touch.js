/**
 * Two fingers on the canvas: pinch to zoom, move both to pan. One finger is left to the editor
 * (select, move, connect, pan), exactly as a mouse.
 *
 * The listeners run in the capture phase, before the editor's: once a second finger lands, the
 * gesture takes over, the editor's drag is cancelled, and every touch until the last finger
 * lifts stays with the gesture.
 */

import { panBy, zoomAt } from "../canvas/view.js";

/**
 * @param {object} options
 * @param {HTMLCanvasElement} options.canvas
 * @param {() => import("../canvas/view.js").View} options.view  the current view
 * @param {(view: import("../canvas/view.js").View) => void} options.setView
 * @param {() => void} options.onStart  a gesture begins: stop what the first finger was doing
 */
export function createPinch({ canvas, view, setView, onStart }) {
  /** @type {Map<number, {x: number, y: number}>} touch points in CSS pixels of the canvas */
  const fingers = new Map();
  let gesture = null;

  function local(event) {
    const rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  /** Midpoint and spread of the first two fingers. */
  function measure() {
    const [a, b] = [...fingers.values()];
    return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, spread: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)) };
  }

  function onDown(event) {
    if (event.pointerType !== "touch") return;
    fingers.set(event.pointerId, local(event));
    if (fingers.size >= 2 && !gesture) onStart();
    if (fingers.size >= 2) restart();
    if (gesture) event.stopImmediatePropagation();
  }

  /** Measure from here: the fingers changed, the view is where they left it. */
  function restart() {
    gesture = { view: view(), start: measure() };
  }

  function onMove(event) {
    if (!fingers.has(event.pointerId)) return;
    fingers.set(event.pointerId, local(event));
    if (!gesture) return;
    event.stopImmediatePropagation();
    if (fingers.size < 2) return;
    const { start } = gesture;
    const now = measure();
    const zoomed = zoomAt(gesture.view, start.x, start.y, now.spread / start.spread);
    setView(panBy(zoomed, now.x - start.x, now.y - start.y));
  }

  function onUp(event) {
    if (!fingers.delete(event.pointerId) || !gesture) return;
    event.stopImmediatePropagation();
    if (fingers.size >= 2) restart();
    if (fingers.size === 0) gesture = null;
  }

  canvas.addEventListener("pointerdown", onDown, true);
  canvas.addEventListener("pointermove", onMove, true);
  canvas.addEventListener("pointerup", onUp, true);
  canvas.addEventListener("pointercancel", onUp, true);
}
