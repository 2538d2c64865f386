/** Colours and fonts of the canvas, in one place so the CSS and the drawing agree. */

const LIGHT = {
  background: "#f8f9fb",
  gridDot: "#d5d9e0",
  accent: "#6965db",
  accentSoft: "rgba(105, 101, 219, 0.16)",
  edge: "#a3abb8",
  edgeDead: "#e3a6a6",
  replication: "#0d9488",
  nodeFill: "#ffffff",
  nodeBorder: "#d6dae1",
  nodeShadow: "rgba(15, 23, 42, 0.08)",
  labelFill: "rgba(255, 255, 255, 0.92)",
  text: "#1f2430",
  muted: "#6b7280",
  deadFill: "#f1f2f4",
  deadText: "#9aa1ab",
  danger: "#dc2626",
  warn: "#d97706",
  track: "#eceef2",
};

const DARK = {
  background: "#16181d",
  gridDot: "#2e323b",
  accent: "#a5a2f5",
  accentSoft: "rgba(165, 162, 245, 0.22)",
  edge: "#5d6573",
  edgeDead: "#7f3b3b",
  replication: "#2dd4bf",
  nodeFill: "#23262e",
  nodeBorder: "#3a3f4a",
  nodeShadow: "rgba(0, 0, 0, 0.4)",
  labelFill: "rgba(35, 38, 46, 0.92)",
  text: "#e8eaef",
  muted: "#a0a7b4",
  deadFill: "#1c1e23",
  deadText: "#6b7280",
  danger: "#f87171",
  warn: "#fbbf24",
  track: "#343844",
};

/** The canvas's current colours, fonts and line factor (thicker lines in presenter mode). */
export const THEME = {
  ...LIGHT,
  line: 1,
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans KR", sans-serif',
};

/**
 * Switch the canvas to a theme and presenter mode (read by the next render).
 * @param {{dark: boolean, presenter: boolean}} look
 */
export function applyLook({ dark, presenter }) {
  Object.assign(THEME, dark ? DARK : LIGHT, { line: presenter ? 2 : 1 });
}

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
