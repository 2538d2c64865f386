/**
 * A card beside the node under the pointer while the simulation has live numbers: up or down,
 * role, its instances (booting, running, draining, dead), requests per second, utilisation and
 * queue, what else the engine measured of it (nodefacts.js), and a sparkline of its requests per second over the last frames. The same numbers are in the "Live numbers" table, which is what screen
 * readers use; the card is a visual aid and hidden from them.
 */

import { findNode, nodeName } from "../document/document.js";
import { formatPercent, formatRate } from "../core/format.js";
import { t } from "../core/i18n.js";
import { toScreen } from "../canvas/view.js";
import { HALF_HEIGHT, HALF_WIDTH } from "../document/geometry.js";
import { poolText } from "../canvas/pool.js";
import { causeLabels, nodeFacts } from "./nodefacts.js";

/** Frames of history the sparkline shows. */
const HISTORY = 60;
const SPARK = { width: 160, height: 32 };
const SVG = "http://www.w3.org/2000/svg";

/**
 * The points of a sparkline of values (oldest first), scaled to fill width by height.
 * @param {number[]} values
 * @param {number} width
 * @param {number} height
 * @returns {string} SVG polyline points
 */
export function sparkPoints(values, width, height) {
  const top = Math.max(...values, 1e-9);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values.map((value, i) => `${(i * step).toFixed(1)},${(height - (value / top) * (height - 2) - 1).toFixed(1)}`).join(" ");
}

/**
 * @param {object} options
 * @param {HTMLCanvasElement} options.canvas
 * @param {HTMLElement} options.container  positioned ancestor of the canvas (the stage)
 * @param {import("../core/bus.js").Bus} options.bus  listens to "sim:gauges" and "ui:hover"
 * @param {{doc: object}} options.store
 * @param {{view: import("../canvas/view.js").View}} options.ui
 * @param {object} options.catalog  names the failure causes
 */
export function createNodeCard({ canvas, container, bus, store, ui, catalog }) {
  const causes = causeLabels(catalog);
  const history = new Map();
  let gauges = {};
  let windowed = {};
  let hovered = null;

  const card = document.createElement("div");
  card.className = "node-card";
  card.setAttribute("aria-hidden", "true");
  card.hidden = true;
  const title = document.createElement("strong");
  const facts = document.createElement("span");
  const spark = document.createElementNS(SVG, "svg");
  spark.setAttribute("viewBox", `0 0 ${SPARK.width} ${SPARK.height}`);
  spark.setAttribute("width", String(SPARK.width));
  spark.setAttribute("height", String(SPARK.height));
  const line = document.createElementNS(SVG, "polyline");
  spark.append(line);
  const caption = document.createElement("small");
  caption.textContent = t("Requests per second, newest on the right");
  card.append(title, facts, spark, caption);
  container.append(card);

  function record(next) {
    gauges = next;
    if (!Object.keys(next).length) history.clear();
    for (const [id, gauge] of Object.entries(next)) {
      const values = history.get(id) ?? [];
      values.push(gauge.rps ?? 0);
      if (values.length > HISTORY) values.shift();
      history.set(id, values);
    }
    show();
  }

  function show() {
    const node = hovered ? findNode(store.doc, hovered) : null;
    const gauge = node ? gauges[node.id] : null;
    card.hidden = !gauge;
    if (!gauge) return;
    title.textContent = nodeName(node);
    const state = [t(gauge.up === false ? "down" : "up"), gauge.role ? t(gauge.role) : null, poolText(gauge.pool)];
    const numbers = [`${formatRate(gauge.rps)} rps`, `${t("Util")} ${formatPercent(gauge.util)}`, `${t("Queue")} ${formatRate(gauge.queue)}`];
    facts.textContent = [...state.filter(Boolean), ...numbers, ...nodeFacts(node, gauge, windowed[node.id], causes)].join(" · ");
    const values = history.get(node.id) ?? [];
    line.setAttribute("points", sparkPoints(values.length > 1 ? values : [0, ...values], SPARK.width, SPARK.height));
    place(node);
  }

  /** To the right of the node, else to its left, else below it: never over it. */
  function place(node) {
    const [canvasBox, stageBox] = [canvas.getBoundingClientRect(), container.getBoundingClientRect()];
    const at = (x, y) => {
      const point = toScreen(ui.view, x, y);
      return { x: canvasBox.left - stageBox.left + point.x, y: canvasBox.top - stageBox.top + point.y };
    };
    const [width, height] = [card.offsetWidth, card.offsetHeight];
    const topRight = at(node.x + HALF_WIDTH, node.y - HALF_HEIGHT);
    const topLeft = at(node.x - HALF_WIDTH, node.y - HALF_HEIGHT);
    let [left, top] = [topRight.x + 10, topRight.y];
    if (left + width > stageBox.width - 8) left = topLeft.x - 10 - width;
    if (left < 8) [left, top] = [topLeft.x, at(node.x, node.y + HALF_HEIGHT).y + 10];
    card.style.left = `${Math.max(8, Math.min(left, stageBox.width - width - 8))}px`;
    card.style.top = `${Math.max(8, Math.min(top, stageBox.height - height - 8))}px`;
  }

  bus.on("sim:gauges", record);
  bus.on("server:frame", (frame) => (windowed = frame.window?.nodes ?? {}));
  bus.on("ui:hover", (id) => {
    hovered = id;
    show();
  });
  canvas.addEventListener("pointerdown", () => (card.hidden = true));
}
