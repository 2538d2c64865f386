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
 * @param {Map<string, string>} [causeLabels]  each failure cause's label (the catalog's `failure_causes`)
 * @returns {string[]} short facts, each already translated; empty when there is nothing to add
 */
export function nodeFacts(node, gauge, windowed, causeLabels = new Map()) {
  if (!gauge) return [];
  const facts = failures(gauge, causeLabels);
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

/** Failed requests per second, by why they failed (a node fails for several causes at once). */
function failures(gauge, causeLabels) {
  if (!(gauge.errors_rps > 0)) return [];
  const causes = Object.entries(gauge.errors_by_cause ?? {}).filter(([, rate]) => rate > 0);
  if (!causes.length) return [t("{rate} failed/s", { rate: formatRate(gauge.errors_rps) })];
  return causes
    .sort(([, a], [, b]) => b - a)
    .map(([cause, rate]) => t("{cause}: {rate} failed/s", { cause: causeLabels.get(cause) ?? cause, rate: formatRate(rate) }));
}

/** Each failure cause's label by its name, from the catalog. */
export const causeLabels = (catalog) => new Map((catalog.failure_causes ?? []).map(({ name, label }) => [name, label]));

/** "M/M/4 predicts 2.1 ms": the model's name stays as the textbooks write it. */
function theoryText(theory) {
  if ("hit_ratio" in theory) return t("{model} predicts {value}", { model: theory.model, value: formatPercent(theory.hit_ratio) });
  if (theory.wait_ms == null) return t("{model}: no steady state (arrivals outpace service)", { model: theory.model });
  return t("{model} predicts {value}", { model: theory.model, value: formatMs(theory.wait_ms) });
}
