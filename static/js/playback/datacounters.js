/**
 * What happened to the data, from the frames' `data` counts: stale reads, lost writes, lost
 * sessions and moved keys happen within a frame and are summed since the simulation started; the
 * keys lost (rows missing now, until a restore brings them back) and the jobs waiting in the
 * message queues (from the totals) are what the newest frame says. A counter appears once frames
 * carry it, so fields a newer engine adds show up and an older engine's frames leave them out.
 */

import { t } from "../core/i18n.js";

/** [key, label, where in the frame, how: summed over frames or the newest value] */
const COUNTERS = [
  ["stale_reads", "Stale reads", "data", "sum"],
  ["lost_writes", "Lost writes", "data", "sum"],
  ["sessions_lost", "Sessions lost", "data", "sum"],
  ["keys_lost", "Keys lost", "data", "now"],
  ["keys_moved", "Keys moved", "data", "sum"],
  ["queue_depth", "Jobs waiting", "totals", "now"],
  ["txn_committed", "Transactions committed", "data", "sum"],
  ["txn_aborted", "Transactions aborted", "data", "sum"],
  ["txn_partial", "Transactions half done", "data", "sum"],
  ["twopc_ms", "Two-phase commit time (ms)", "data", "sum"],
];
// Counters that are not trouble when they grow; the transaction counters stay out of sight until a
// design has transactions (every frame carries them, mostly as zeros).
const HEALTHY = new Set(["queue_depth", "txn_committed", "twopc_ms"]);
const UNTIL_NONZERO = new Set(["txn_committed", "txn_aborted", "txn_partial", "twopc_ms"]);

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
    for (const [key, , where, how] of COUNTERS) {
      const counted = frame[where]?.[key];
      if (typeof counted !== "number") continue;
      const value = how === "sum" ? (values.get(key) ?? 0) + counted : counted;
      values.set(key, value);
      const { row, dd } = cells.get(key);
      row.hidden = UNTIL_NONZERO.has(key) && value === 0;
      dd.textContent = value.toLocaleString("en-US", { maximumFractionDigits: 0 });
      dd.classList.toggle("is-bad", !HEALTHY.has(key) && value > 0);
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
