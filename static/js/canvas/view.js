/**
 * The camera over the world: screen = world * zoom + (x, y), in CSS pixels of the canvas.
 * The initial view is the identity, so world units equal CSS pixels from the canvas's corner.
 * Views are plain objects; every function returns a new one.
 */

export const MIN_ZOOM = 0.25;
export const MAX_ZOOM = 3;

/**
 * @typedef {{x: number, y: number, zoom: number}} View
 */

/** @returns {View} the identity view */
export const createView = () => ({ x: 0, y: 0, zoom: 1 });

/**
 * A screen point (CSS pixels from the canvas's top-left corner) in world units.
 * @param {View} view
 * @param {number} sx
 * @param {number} sy
 * @returns {{x: number, y: number}}
 */
export function toWorld(view, sx, sy) {
  return { x: (sx - view.x) / view.zoom, y: (sy - view.y) / view.zoom };
}

/**
 * A world point on the screen.
 * @param {View} view
 * @param {number} wx
 * @param {number} wy
 * @returns {{x: number, y: number}}
 */
export function toScreen(view, wx, wy) {
  return { x: wx * view.zoom + view.x, y: wy * view.zoom + view.y };
}

/**
 * Zoom by a factor keeping the world point under a screen point where it is.
 * @param {View} view
 * @param {number} sx
 * @param {number} sy
 * @param {number} factor
 * @returns {View}
 */
export function zoomAt(view, sx, sy, factor) {
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.zoom * factor));
  const world = toWorld(view, sx, sy);
  return { zoom, x: sx - world.x * zoom, y: sy - world.y * zoom };
}

/**
 * Move the view by a screen distance.
 * @param {View} view
 * @param {number} dx
 * @param {number} dy
 * @returns {View}
 */
export const panBy = (view, dx, dy) => ({ ...view, x: view.x + dx, y: view.y + dy });

/**
 * A view showing every box (world rectangles) inside a screen of that size, never zoomed in past 1.
 * @param {{x: number, y: number, width: number, height: number}[]} boxes
 * @param {number} width
 * @param {number} height
 * @param {number} [margin]  CSS pixels kept free around the boxes
 * @returns {View}
 */
export function fitView(boxes, width, height, margin = 48) {
  if (!boxes.length) return createView();
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  const zoom = Math.min(
    1,
    Math.max(MIN_ZOOM, Math.min((width - 2 * margin) / (right - left), (height - 2 * margin) / (bottom - top))),
  );
  return {
    zoom,
    x: (width - (right - left) * zoom) / 2 - left * zoom,
    y: (height - (bottom - top) * zoom) / 2 - top * zoom,
  };
}

/**
 * Set a 2D context to draw in world units on a canvas whose backing store is dpr times larger.
 * The only place the device pixel ratio meets the view.
 * @param {CanvasRenderingContext2D} ctx
 * @param {View} view
 * @param {number} dpr
 */
export function applyView(ctx, view, dpr) {
  ctx.setTransform(dpr * view.zoom, 0, 0, dpr * view.zoom, dpr * view.x, dpr * view.y);
}
