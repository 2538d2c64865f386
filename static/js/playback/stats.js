/**
 * The live numbers: one table row per node, the totals and clock of the sim bar, the event log.
 * Updated on every frame; rows follow the document's nodes.
 */

import { eventText, t } from "../core/i18n.js";
import { formatClock, formatMs, formatPercent, formatRate } from "../core/format.js";
import { nodeName } from "../document/document.js";
import { poolText } from "../canvas/pool.js";
import { nodeFacts } from "./nodefacts.js";

const MAX_EVENTS = 200;

/**
 * @param {object} options
 * @param {HTMLTableElement} options.table  #node-stats
 * @param {Record<string, HTMLElement>} options.totals  rps, errors, p50, p95, p99, hits, cdn (the
 *   #total-* cells) and window (#totals-window: how many simulated seconds the numbers cover)
 * @param {HTMLElement} options.clock  #sim-time
 * @param {HTMLOListElement} options.log  #event-log
 * @param {(id: string) => void} options.onSelect  a row was clicked
 * @param {Record<string, string>} [options.choiceLabels]  each choice's label, for the event log
 * @param {(item: HTMLLIElement, event: object) => void} [options.tagEvent]  marks a new log item
 * @param {Map<string, string>} [options.causeLabels]  each failure cause's label (nodefacts.js causeLabels)
 *   for the log's filter (monitoring/eventfilter.js)
 */
export function createStats({ table, totals, clock, pace, log, onSelect, choiceLabels = {}, tagEvent = () => {}, causeLabels = new Map() }) {
  const body = table.tBodies[0] ?? table.createTBody();
  const empty = document.createElement("tr");
  empty.className = "empty-row";
  empty.innerHTML = `<td colspan="5">${t("No components yet.")}</td>`;
  let gauges = {};
  let windowed = {};
  let nodes = new Map();

  /**
   * Rebuild the rows for these nodes, keeping the newest numbers.
   * @param {object[]} list
   */
  function setNodes(list) {
    nodes = new Map(list.map((node) => [node.id, node]));
    body.replaceChildren(...(list.length ? list.map(row) : [empty]));
    updateRows();
  }

  function row(node) {
    const tr = document.createElement("tr");
    tr.dataset.node = node.id;
    tr.title = t("Select {id}", node);
    for (const name of ["name", "state", "rps", "util", "queue"]) {
      const td = document.createElement("td");
      td.className = name;
      tr.append(td);
    }
    // Under the name, what else the engine measured of the node (hit ratio, keys, snapshot).
    const [name, facts] = [document.createElement("span"), document.createElement("small")];
    name.textContent = nodeName(node);
    facts.className = "node-facts";
    tr.cells[0].append(name, facts);
    tr.addEventListener("click", () => onSelect(node.id));
    return tr;
  }

  function updateRows() {
    for (const tr of body.rows) {
      if (!tr.dataset.node) continue;
      const gauge = gauges[tr.dataset.node];
      const state = gauge ? (gauge.up === false ? "down" : "up") : "—";
      tr.classList.toggle("is-down", state === "down");
      // A web server's instances follow its state: "up · 3 running, 1 booting".
      const pool = poolText(gauge?.pool);
      setText(tr.cells[1], pool ? `${t(state)} · ${pool}` : t(state));
      tr.cells[1].dataset.state = state;
      setText(tr.cells[2], formatRate(gauge?.rps));
      setText(tr.cells[3], formatPercent(gauge?.util));
      setText(tr.cells[4], gauge ? formatRate(gauge.queue) : "—");
      const node = nodes.get(tr.dataset.node);
      setText(tr.cells[0].lastElementChild, node ? nodeFacts(node, gauge, windowed[node.id], causeLabels).join(" · ") : "");
    }
  }

  /**
   * Show a frame: gauges, totals, clock.
   * @param {object} frame
   */
  function showFrame(frame) {
    gauges = frame.nodes ?? {};
    windowed = frame.window?.nodes ?? {};
    updateRows();
    // The engine's window (the newest frames covering a few seconds) where it sends one: one
    // frame's own numbers jump too much to read.
    const numbers = frame.window ?? frame.totals ?? {};
    setText(totals.rps, formatRate(numbers.rps));
    setText(totals.errors, formatPercent(numbers.error_rate));
    totals.errors.classList.toggle("is-bad", (numbers.error_rate ?? 0) > 0);
    setText(totals.p50, formatMs(numbers.p50));
    setText(totals.p95, formatMs(numbers.p95));
    setText(totals.p99, formatMs(numbers.p99));
    showRatio(totals.hits, numbers.hit_ratio);
    showRatio(totals.cdn, numbers.cdn_hit_ratio);
    if (totals.window) setText(totals.window, frame.window ? formatMs(frame.window.s * 1000) : "—");
    setClock(frame.t);
    showPace(frame.pace ?? 1);
  }

  /** A hit ratio's cell shows once the engine measured one (no cache: no cell). */
  function showRatio(cell, ratio) {
    if (!cell) return;
    if (ratio != null) cell.parentElement.hidden = false;
    setText(cell, formatPercent(ratio));
  }

  /**
   * The server simulates at most so many requests a frame; with more traffic than that at the
   * chosen speed, simulated time runs slower, and the clock says by how much.
   * @param {number} ratio  simulated time covered over simulated time asked for
   */
  function showPace(ratio) {
    if (!pace) return;
    const slowed = ratio < 0.995;
    pace.hidden = !slowed;
    if (!slowed) return;
    const percent = Math.max(1, Math.round(ratio * 100));
    setText(pace, t("Slowed: {percent}% of the chosen speed", { percent }));
    pace.title = t("There is too much traffic to simulate at this speed, so simulated time runs slower than asked.");
  }

  /** Forget the numbers and the events (a new simulation starts at t = 0: they were of the old one). */
  function clear() {
    log.replaceChildren();
    for (const cell of [totals.hits, totals.cdn]) if (cell) cell.parentElement.hidden = true;
    showFrame({ t: 0, nodes: {}, totals: {} });
  }

  /** @param {number} t simulated seconds */
  function setClock(t) {
    setText(clock, formatClock(t));
  }

  /**
   * Add an event to the top of the log.
   * @param {{t: number, kind?: string, message: string, template?: string, params?: object}} event
   */
  function addEvent(event) {
    const item = document.createElement("li");
    item.className = `event event-${event.kind ?? "info"}`;
    const time = document.createElement("time");
    time.textContent = formatClock(event.t);
    const text = document.createElement("span");
    text.textContent = eventText(event, choiceLabels);
    item.append(time, text);
    tagEvent(item, event);
    log.prepend(item);
    while (log.children.length > MAX_EVENTS) log.lastElementChild.remove();
  }

  setNodes([]);
  clear();
  return { setNodes, showFrame, clear, setClock, addEvent };
}

// Writing only changed text keeps the DOM quiet at ten frames a second.
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}
