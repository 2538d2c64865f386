/**
 * What happened to the data, from the frames' totals: stale reads, lost writes, lost sessions,
 * lost and moved keys (summed since the simulation started) and the jobs waiting in the message
 * queues (now). A counter appears once frames carry it, so fields a newer engine adds show up and
 * an older engine's frames leave them out.
 */

import { t } from "../core/i18n.js";

const COUNTERS = [
  ["stale_reads", "Stale reads", "sum"],
  ["lost_writes", "Lost writes", "sum"],
  ["sessions_lost", "Sessions lost", "sum"],
  ["keys_lost", "Keys lost", "sum"],
  ["keys_moved", "Keys moved", "sum"],
  ["queue_depth", "Jobs waiting", "now"],
];

/**
 * @param {{root: HTMLDListElement, bus: import("../core/bus.js").Bus}} options  root: #data-counters
 */
export function createDataCounters({ root, bus }) {
  const values = new Map();
  const cells = new Map(
    COUNTERS.map(([key, text]) => {
      const row = document.createElement("div");
      row.dataset.counter = key;
      row.hidden = true;
      const [dt, dd] = [document.createElement("dt"), document.createElement("dd")];
      dt.textContent = t(text);
      row.append(dt, dd);
      root.append(row);
      return [key, { row, dd }];
    }),
  );
  let last = -1;

  function clear() {
    values.clear();
    for (const { row } of cells.values()) row.hidden = true;
    root.hidden = true;
  }

  bus.on("server:frame", (frame) => {
    // A frame earlier than the last one: the simulation started again.
    if (frame.t < last) clear();
    last = frame.t;
    const totals = frame.totals ?? {};
    for (const [key, , how] of COUNTERS) {
      if (typeof totals[key] !== "number") continue;
      const value = how === "sum" ? (values.get(key) ?? 0) + totals[key] : totals[key];
      values.set(key, value);
      const { row, dd } = cells.get(key);
      row.hidden = false;
      dd.textContent = value.toLocaleString("en-US");
      dd.classList.toggle("is-bad", how === "sum" && value > 0);
    }
    root.hidden = values.size === 0;
  });
  bus.on("sim:gauges", (gauges) => {
    if (Object.keys(gauges).length === 0) {
      last = -1;
      clear();
    }
  });
}
