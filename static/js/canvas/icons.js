/**
 * Icons of the component kinds, drawn as 24 x 24 stroked paths. One path per kind serves both
 * the palette (inline SVG) and the canvas (Path2D), so the two always match.
 */

const PATHS = {
  users:
    "M12.5 8a3.5 3.5 0 1 1-7 0a3.5 3.5 0 1 1 7 0z M3 20v-1a5 5 0 0 1 5-5h2a5 5 0 0 1 5 5v1 " +
    "M16 4.6a3.5 3.5 0 0 1 0 6.8 M18 14.2a5 5 0 0 1 3 4.6v1.2",
  load_balancer:
    "M14 5a2 2 0 1 1-4 0a2 2 0 1 1 4 0z M7 19a2 2 0 1 1-4 0a2 2 0 1 1 4 0z M14 19a2 2 0 1 1-4 0a2 2 0 1 1 4 0z " +
    "M21 19a2 2 0 1 1-4 0a2 2 0 1 1 4 0z M12 7v10 M12 10L6.2 17.4 M12 10l5.8 7.4",
  web_server:
    "M5 3h14a2 2 0 0 1 2 2v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z " +
    "M5 13h14a2 2 0 0 1 2 2v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4a2 2 0 0 1 2-2z M7 7h.01 M7 17h.01 M11 7h6 M11 17h6",
  database: "M4 5.5a8 2.5 0 1 0 16 0a8 2.5 0 1 0-16 0z M4 5.5v13a8 2.5 0 0 0 16 0v-13 M4 12a8 2.5 0 0 0 16 0",
  cache: "M13 2L4 14h7l-1 8 9-12h-7l1-8z",
  dns: "M21 12a9 9 0 1 1-18 0a9 9 0 1 1 18 0z M3 12h18 M12 3a14 14 0 0 1 0 18 M12 3a14 14 0 0 0 0 18",
  cdn: "M7 19h10a4 4 0 0 0 .6-7.96A6 6 0 0 0 6.3 10.1A4.5 4.5 0 0 0 7 19z",
  object_store: "M4 6h16l-1.5 13a2 2 0 0 1-2 1.8h-9a2 2 0 0 1-2-1.8L4 6z M4 6a8 2.5 0 0 0 16 0",
  session_store: "M12 15a4 4 0 1 1-8 0a4 4 0 1 1 8 0z M11 12l9-9 M17 6l3 3 M15 8l2 2",
  message_queue: "M3 5h4v14H3z M10 5h4v14h-4z M17 5h4v14h-4z",
  worker:
    "M15 12a3 3 0 1 1-6 0a3 3 0 1 1 6 0z M12 2v3 M12 19v3 M2 12h3 M19 12h3 M4.9 4.9L7 7 M17 17l2.1 2.1 " +
    "M4.9 19.1L7 17 M17 7l2.1-2.1",
  data_center: "M4 21V5l8-3 8 3v16 M3 21h18 M9 9h.01 M15 9h.01 M9 13h.01 M15 13h.01 M10 21v-4h4v4",
  backup: "M3 4h18v4H3z M5 8v11a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8 M10 12h4",
};
const FALLBACK = "M5 4h14a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z";

const COLORS = {
  users: "#0284c7",
  load_balancer: "#7c3aed",
  web_server: "#059669",
  database: "#c2410c",
  cache: "#db2777",
  dns: "#0891b2",
  cdn: "#2563eb",
  object_store: "#65a30d",
  session_store: "#9333ea",
  message_queue: "#ea580c",
  worker: "#0d9488",
  data_center: "#475569",
  backup: "#78716c",
};

const path2dCache = new Map();

/**
 * The accent colour of a kind.
 * @param {string} kind
 * @returns {string}
 */
export const kindColor = (kind) => COLORS[kind] ?? "#64748b";

/**
 * An inline SVG icon of a kind, for the DOM.
 * @param {string} kind
 * @param {number} [size]  CSS pixels
 * @returns {SVGSVGElement}
 */
export function iconSvg(kind, size = 20) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", String(size));
  svg.setAttribute("height", String(size));
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "icon");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", PATHS[kind] ?? FALLBACK);
  for (const [name, value] of Object.entries({
    fill: "none",
    stroke: "currentColor",
    "stroke-width": "1.8",
    "stroke-linecap": "round",
    "stroke-linejoin": "round",
  })) {
    path.setAttribute(name, value);
  }
  svg.append(path);
  return svg;
}

/**
 * Draw the icon of a kind on a canvas, its top-left corner at (x, y).
 * @param {CanvasRenderingContext2D} ctx
 * @param {string} kind
 * @param {number} x
 * @param {number} y
 * @param {number} size  world units
 * @param {string} color
 */
export function drawIcon(ctx, kind, x, y, size, color) {
  if (!path2dCache.has(kind)) path2dCache.set(kind, new Path2D(PATHS[kind] ?? FALLBACK));
  ctx.save();
  ctx.translate(x, y);
  ctx.scale(size / 24, size / 24);
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.8;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  // An SVG drawing context (canvas/drawing.js) takes the path as SVG text: it cannot read a Path2D.
  if (ctx.strokeSvgPath) ctx.strokeSvgPath(PATHS[kind] ?? FALLBACK);
  else ctx.stroke(path2dCache.get(kind));
  ctx.restore();
}
