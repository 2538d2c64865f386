/** Colours and fonts of the canvas, in one place so the CSS and the drawing agree. */

export const THEME = {
  background: "#f8f9fb",
  gridDot: "#d5d9e0",
  accent: "#6965db",
  accentSoft: "rgba(105, 101, 219, 0.16)",
  edge: "#a3abb8",
  edgeDead: "#e3a6a6",
  nodeFill: "#ffffff",
  nodeBorder: "#d6dae1",
  nodeShadow: "rgba(15, 23, 42, 0.08)",
  text: "#1f2430",
  muted: "#6b7280",
  deadFill: "#f1f2f4",
  deadText: "#9aa1ab",
  danger: "#dc2626",
  track: "#eceef2",
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans KR", sans-serif',
};

/** Particle colour per request class index (see particles.js CLASSES). */
export const CLASS_COLORS = ["#3b82f6", "#f97316", "#ef4444", "#8b5cf6"];

/**
 * Colour of a utilisation from 0 to 1: green, then amber, then red.
 * @param {number} util
 * @returns {string}
 */
export function utilColor(util) {
  if (util >= 0.85) return "#ef4444";
  if (util >= 0.6) return "#f59e0b";
  return "#22c55e";
}
