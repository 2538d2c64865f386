/**
 * The canvas's drawing surface: a backing store of CSS size times the device pixel ratio,
 * kept in step with the element's size by a ResizeObserver.
 */

/**
 * @param {{canvas: HTMLCanvasElement, onResize: () => void}} options
 * @returns {{ctx: CanvasRenderingContext2D, readonly width: number, readonly height: number, readonly dpr: number}}
 */
export function createSurface({ canvas, onResize }) {
  const ctx = canvas.getContext("2d");
  let [width, height, dpr] = [0, 0, 1];

  function resize(cssWidth, cssHeight) {
    dpr = window.devicePixelRatio || 1;
    [width, height] = [cssWidth, cssHeight];
    canvas.width = Math.max(1, Math.round(cssWidth * dpr));
    canvas.height = Math.max(1, Math.round(cssHeight * dpr));
    onResize();
  }

  new ResizeObserver(([entry]) => resize(entry.contentRect.width, entry.contentRect.height)).observe(canvas);
  const rect = canvas.getBoundingClientRect();
  resize(rect.width, rect.height);

  return {
    ctx,
    get width() {
      return width;
    },
    get height() {
      return height;
    },
    get dpr() {
      return dpr;
    },
  };
}
