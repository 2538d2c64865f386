/**
 * What the engine measured of one node beyond its load: failed requests, a cache's or CDN edge's
 * hit ratio, the rows a database holds and its shard state, when a backup took its newest
 * snapshot. Shared by the node card and the live numbers table, so both say the same.
 */

import { formatClock, formatPercent, formatRate } from "../core/format.js";
import { t } from "../core/i18n.js";

/**
 * @param {{kind: string}} node
 * @param {object} gauge  the node's entry in a frame's `nodes`
 * @returns {string[]} short facts, each already translated; empty when there is nothing to add
 */
export function nodeFacts(node, gauge) {
  if (!gauge) return [];
  const facts = [];
  if (gauge.errors_rps > 0) facts.push(t("{rate} failed/s", { rate: formatRate(gauge.errors_rps) }));
  if ((node.kind === "cache" || node.kind === "cdn") && gauge.hit_ratio != null) {
    facts.push(t("hits {percent}", { percent: formatPercent(gauge.hit_ratio) }));
  }
  if (node.kind === "database" && gauge.keys != null) {
    facts.push(t("{keys} keys", { keys: gauge.keys.toLocaleString("en-US") }));
    if (gauge.shard_state) facts.push(t(gauge.shard_state === "spare" ? "spare shard" : "active shard"));
  }
  if (node.kind === "backup" && "snapshot_t" in gauge) {
    facts.push(gauge.snapshot_t == null ? t("no snapshot yet") : t("snapshot at {time}", { time: formatClock(gauge.snapshot_t) }));
  }
  return facts;
}
