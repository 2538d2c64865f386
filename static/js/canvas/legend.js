/**
 * The legend of the moving dots: one colour per request class (particles.js CLASSES, theme.js
 * CLASS_COLORS), the teal dash-dotted line of replication, and, once a web server runs several
 * instances, the states of their pips (render.js drawPip). Shown while the simulation has live
 * numbers, hidden when it is reset or the drawing changes.
 */

import { t } from "../core/i18n.js";
import { CLASSES } from "./particles.js";
import { CLASS_COLORS, THEME } from "./theme.js";
import { drawPip, PIP_HEIGHT } from "./render.js";

const CLASS_TEXT = {
  read: "Read",
  write: "Write",
  static: "Static file",
  job: "Background job",
  hit: "Cache hit",
  miss: "Cache miss",
  replication: "Replication",
  error: "Error",
};

// Called once the page's translations are loaded.
const pipText = () => ({
  running: t("running (filled by its utilisation)"),
  booting: t("booting"),
  draining: t("draining"),
  dead: t("dead"),
});
const PIP_WIDTH = 8;

/**
 * @param {{container: HTMLElement, bus: import("../core/bus.js").Bus}} options
 *   listens to "sim:gauges" (an empty table means no live numbers) and "ui:redraw" (theme change)
 */
export function createLegend({ container, bus }) {
  const legend = document.createElement("ul");
  legend.className = "legend";
  legend.setAttribute("aria-label", t("Legend"));
  legend.hidden = true;
  const swatches = [];

  const items = new Map();
  function entry(text, kind) {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = `legend-swatch legend-${kind}`;
    swatch.setAttribute("aria-hidden", "true");
    item.append(swatch, t(text));
    legend.append(item);
    return swatch;
  }

  CLASSES.forEach((name, index) => {
    if (!CLASS_TEXT[name]) return;
    const swatch = entry(CLASS_TEXT[name], "dot");
    swatch.dataset.class = name;
    items.set(name, swatch.parentElement);
    swatches.push(() => (swatch.style.backgroundColor = CLASS_COLORS[index]));
  });
  const replication = entry("Replication edge", "line");
  swatches.push(() => (replication.style.color = THEME.replication));
  // One entry for the instances of web servers: a pip and a word per state.
  const pool = document.createElement("li");
  pool.className = "legend-pool";
  pool.append(`${t("Instances")}:`);
  for (const [state, text] of Object.entries(pipText())) {
    const part = document.createElement("span");
    part.dataset.pip = state;
    const canvas = document.createElement("canvas");
    canvas.className = "legend-pip";
    canvas.setAttribute("aria-hidden", "true");
    part.append(canvas, text);
    pool.append(part);
    swatches.push(() => paintPip(canvas, { state, util: 0.5 }));
  }
  legend.append(pool);
  container.append(legend);

  // A colour is listed once its dots have been seen, until the simulation starts again.
  const seen = new Set();
  const showSeen = () => items.forEach((item, name) => (item.hidden = !seen.has(name)));
  bus.on("sim:classes", (present) => {
    present.forEach((name) => seen.add(name));
    showSeen();
  });
  bus.on("sim:gauges", (gauges) => {
    const appearing = legend.hidden;
    legend.hidden = Object.keys(gauges).length === 0;
    if (appearing && !legend.hidden) swatches.forEach((paint) => paint());
    pool.hidden = !Object.values(gauges).some((gauge) => gauge.pool);
    if (legend.hidden) {
      seen.clear();
      showSeen();
    }
  });
  bus.on("ui:redraw", () => {
    if (!legend.hidden) swatches.forEach((paint) => paint());
  });
  swatches.forEach((paint) => paint());
}

function paintPip(canvas, pip) {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(PIP_WIDTH * dpr);
  canvas.height = Math.round(PIP_HEIGHT * dpr);
  canvas.style.width = `${PIP_WIDTH}px`;
  canvas.style.height = `${PIP_HEIGHT}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  drawPip(ctx, pip, 0, 0, PIP_WIDTH, PIP_HEIGHT);
}
