/**
 * The metrics a frame holds, as a monitoring system groups them: host metrics (each node's
 * gauges, `nodes.<id>.*`), tier metrics (the web tier and the data tier summed up from those
 * gauges, `tiers.<tier>.*`) and business metrics (what the users get, `business.*`), next to the
 * frame's own `totals.*` and the engine's few-second `window.*`. Alerts and the dashboard read
 * the same view, by dotted paths such as "tiers.data.util_max".
 */

/** Which kinds make up each tier. */
export const TIERS = {
  web: ["web_server"],
  data: ["database", "cache", "session_store", "object_store"],
};

/** The numbers of each tier, in the order the dashboard and the alert form offer them. */
export const TIER_FIELDS = ["util_max", "util_mean", "queue", "rps", "down"];
export const BUSINESS_FIELDS = ["throughput_rps", "error_rate", "logins_rps"];
export const WINDOW_FIELDS = ["rps", "error_rate", "errors_rps", "p50", "p95", "p99", "hit_ratio", "cdn_hit_ratio"];
export const TOTAL_FIELDS = [
  "rps", "offered_rps", "error_rate", "errors_rps", "p50", "p95", "p99", "hit_ratio", "cdn_hit_ratio",
  "queue_depth", "stale_reads", "lost_writes", "sessions_lost", "cost_per_month",
];
const NODE_FIELDS = ["util", "queue", "rps", "errors_rps", "up"];
const KIND_FIELDS = { cache: ["hit_ratio"], cdn: ["hit_ratio"], database: ["keys"], web_server: ["instances"] };

/**
 * The host metrics a node of this kind has.
 * @param {string} kind
 * @returns {string[]}
 */
export const nodeFields = (kind) => [...NODE_FIELDS, ...(KIND_FIELDS[kind] ?? [])];

/**
 * One tier's numbers from a frame's node gauges: the busiest node's and the mean utilisation,
 * the requests waiting and served, the nodes down. Null when the design has no node of the tier.
 * @param {object} frame
 * @param {object[]} nodes  the document's nodes
 * @param {string[]} kinds
 */
function tierOf(frame, nodes, kinds) {
  const gauges = nodes.filter((node) => kinds.includes(node.kind)).map((node) => frame.nodes?.[node.id]).filter(Boolean);
  if (!gauges.length) return null;
  const utils = gauges.map((gauge) => gauge.util ?? 0);
  const sum = (values) => values.reduce((total, value) => total + value, 0);
  return {
    nodes: gauges.length,
    util_max: Math.max(...utils),
    util_mean: sum(utils) / utils.length,
    queue: sum(gauges.map((gauge) => gauge.queue ?? 0)),
    rps: sum(gauges.map((gauge) => gauge.rps ?? 0)),
    down: gauges.filter((gauge) => gauge.up === false).length,
  };
}

/**
 * Logins per second: the login flows leaving the users nodes (null when none ever logs in).
 * @param {object} frame
 * @param {object[]} nodes
 */
function loginsOf(frame, nodes) {
  const users = new Set(nodes.filter((node) => node.kind === "users").map((node) => node.id));
  let logins = 0;
  for (const edge of frame.edges ?? []) if (users.has(edge.from)) logins += edge.flows?.login ?? 0;
  return logins;
}

/**
 * The metrics of a frame, grouped; business numbers use the engine's window where it sends one,
 * as the headline numbers do.
 * @param {object} frame
 * @param {object} doc  the document the frame is of
 */
export function metricsOf(frame, doc) {
  const nodes = doc.nodes ?? [];
  const headline = frame.window ?? frame.totals ?? {};
  return {
    totals: frame.totals ?? {},
    window: frame.window ?? {},
    nodes: frame.nodes ?? {},
    tiers: Object.fromEntries(Object.entries(TIERS).map(([tier, kinds]) => [tier, tierOf(frame, nodes, kinds)])),
    business: { throughput_rps: headline.rps, error_rate: headline.error_rate, logins_rps: loginsOf(frame, nodes) },
  };
}

/**
 * A number of the view by a dotted path such as "nodes.db.util"; up/down reads as 1 or 0; null if absent.
 * @param {object} view  metricsOf's
 * @param {string} path
 * @returns {number | null}
 */
export function metricValue(view, path) {
  let value = view;
  for (const part of path.split(".")) value = value?.[part];
  if (typeof value === "boolean") return value ? 1 : 0;
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/**
 * The node a metric path is about ("nodes.db.util" is about db), or null.
 * @param {string} path
 */
export const metricNode = (path) => (path.startsWith("nodes.") ? path.split(".")[1] : null);
