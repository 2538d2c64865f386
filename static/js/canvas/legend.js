/**
 * The legend of the moving dots: which are sampled requests and which only show volume, one
 * colour per request class (the catalog's request_classes, with their translated labels), the teal dash-dotted line of replication, and, once a web server runs several
 * instances, the states of their pips (render.js drawPip). Shown while the simulation has live
 * numbers, hidden when it is reset or the drawing changes.
 */

import { t } from "../core/i18n.js";
import { THEME } from "./theme.js";
import { drawPip, PIP_HEIGHT } from "./render.js";

// Called once the page's translations are loaded.
const pipText = () => ({
  running: t("running (filled by its utilisation)"),
  booting: t("booting"),
  draining: t("draining"),
  dead: t("dead"),
});
const PIP_WIDTH = 8;

/**
 * @param {object} options
 * @param {HTMLElement} options.container
 * @param {import("../core/bus.js").Bus} options.bus  listens to "sim:classes", "sim:dots", "sim:gauges" (an empty
 *   table means no live numbers) and "ui:redraw" (theme change)
 * @param {import("./particles.js").RequestClass[]} options.classes  the catalog's request_classes
 */
export function createLegend({ container, bus, classes }) {
  const legend = document.createElement("ul");
  legend.className = "legend";
  legend.setAttribute("aria-label", t("Legend"));
  legend.hidden = true;
  const swatches = [];

  const items = new Map();
  function entry(label, kind) {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = `legend-swatch legend-${kind}`;
    swatch.setAttribute("aria-hidden", "true");
    item.append(swatch, label);
    legend.append(item);
    return swatch;
  }

  for (const { name, label, colour } of classes) {
    const swatch = entry(label, "dot");
    swatch.dataset.class = name;
    items.set(name, swatch.parentElement);
    swatches.push(() => (swatch.style.backgroundColor = colour));
  }
  // The two kinds of dots (storyparticles.js and particles.js), each listed while the canvas shows it.
  const sampled = entry(t("Ringed dot: a real sampled request; click it for its story"), "story").parentElement;
  const volume = entry(t("Small dot: the rest of the traffic, drawn from rates"), "volume").parentElement;
  [sampled.hidden, volume.hidden] = [true, true];
  bus.on("sim:dots", (dots) => {
    sampled.hidden = !dots.sampled;
    volume.hidden = !dots.volume;
  });
  const replication = entry(t("Replication edge"), "line");
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
