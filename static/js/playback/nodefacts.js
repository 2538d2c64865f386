/**
 * What the engine measured of one node beyond its load: failed requests, a cache's or CDN edge's
 * hit ratio, a server's wait for a worker, the rows a database holds and its shard state, the
 * writes a schema change's lock held up, when a backup took its newest snapshot, and beside them
 * what queueing or caching theory predicts.
 * Shared by the node card and the live numbers table, so both say the same.
 */

import { formatClock, formatMs, formatPercent, formatRate } from "../core/format.js";
import { t } from "../core/i18n.js";

/**
 * @param {{kind: string}} node
 * @param {object} gauge  the node's entry in a frame's `nodes`
 * @param {object} [windowed]  its entry in the frame's `window.nodes`: measured over the window,
 *   with the textbook model's prediction where one fits (engine/readouts/theory.py)
 * @returns {string[]} short facts, each already translated; empty when there is nothing to add
 */
export function nodeFacts(node, gauge, windowed) {
  if (!gauge) return [];
  const facts = [];
  if (gauge.errors_rps > 0) facts.push(t("{rate} failed/s", { rate: formatRate(gauge.errors_rps) }));
  const hits = windowed?.hit_ratio ?? gauge.hit_ratio;
  if ((node.kind === "cache" || node.kind === "cdn") && hits != null) {
    facts.push(t("hits {percent}", { percent: formatPercent(hits) }));
  }
  if (windowed && "wait_ms" in windowed && windowed.wait_ms != null) {
    facts.push(t("waits {time}", { time: formatMs(windowed.wait_ms) }));
  }
  if (windowed?.theory) facts.push(theoryText(windowed.theory));
  if (node.kind === "database" && gauge.keys != null) {
    facts.push(t("{keys} keys", { keys: gauge.keys.toLocaleString("en-US") }));
    if (gauge.shard_state) facts.push(t(gauge.shard_state === "spare" ? "spare shard" : "active shard"));
  }
  if (node.kind === "database" && gauge.writes_locked > 0) {
    facts.push(t("{count} writes waited {time} for a lock", { count: gauge.writes_locked, time: formatMs(gauge.lock_wait_ms) }));
  }
  if (node.kind === "backup" && "snapshot_t" in gauge) {
    facts.push(gauge.snapshot_t == null ? t("no snapshot yet") : t("snapshot at {time}", { time: formatClock(gauge.snapshot_t) }));
  }
  return facts;
}

/** "M/M/4 predicts 2.1 ms": the model's name stays as the textbooks write it. */
function theoryText(theory) {
  if ("hit_ratio" in theory) return t("{model} predicts {value}", { model: theory.model, value: formatPercent(theory.hit_ratio) });
  if (theory.wait_ms == null) return t("{model}: no steady state (arrivals outpace service)", { model: theory.model });
  return t("{model} predicts {value}", { model: theory.model, value: formatMs(theory.wait_ms) });
}
