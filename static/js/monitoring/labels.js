/** What the metric paths of metrics.js are called on the page: "Data tier · busiest utilisation". */

import { t } from "../core/i18n.js";
import { findNode, nodeName } from "../document/document.js";
import { BUSINESS_FIELDS, TIER_FIELDS, TOTAL_FIELDS, WINDOW_FIELDS, nodeFields } from "./metrics.js";

/** English names, translated when shown (djangojs.po). */
const FIELDS = {
  util: "utilisation",
  util_max: "busiest utilisation",
  util_mean: "mean utilisation",
  queue: "queue",
  rps: "requests/s",
  offered_rps: "requests offered/s",
  errors_rps: "errors/s",
  up: "up (1) or down (0)",
  down: "nodes down",
  hit_ratio: "hit ratio",
  cdn_hit_ratio: "CDN hit ratio",
  keys: "keys",
  instances: "instances",
  error_rate: "error rate",
  p50: "p50 latency (ms)",
  p95: "p95 latency (ms)",
  p99: "p99 latency (ms)",
  throughput_rps: "throughput (rps)",
  logins_rps: "logins/s",
  queue_depth: "jobs waiting",
  stale_reads: "stale reads",
  lost_writes: "lost writes",
  sessions_lost: "sessions lost",
  cost_per_month: "cost per month (USD)",
};

const GROUPS = {
  business: () => t("Business"),
  "tiers.web": () => t("Web tier"),
  "tiers.data": () => t("Data tier"),
  window: () => t("Window"),
  totals: () => t("This frame"),
};

/** @param {string} field */
export const fieldLabel = (field) => (FIELDS[field] ? t(FIELDS[field]) : field);

/**
 * The group a path belongs to and its field: ["tiers.data", "util_max"], ["nodes.db", "util"].
 * @param {string} path
 */
function split(path) {
  const parts = path.split(".");
  const cut = parts[0] === "tiers" || parts[0] === "nodes" ? 2 : 1;
  return [parts.slice(0, cut).join("."), parts.slice(cut).join(".")];
}

/**
 * "Data tier · busiest utilisation", "db · utilisation" (a node by its label).
 * @param {string} path
 * @param {object} doc
 */
export function metricLabel(path, doc) {
  const [group, field] = split(path);
  const node = group.startsWith("nodes.") ? findNode(doc, group.slice(6)) : null;
  const groupText = node ? nodeName(node) : group.startsWith("nodes.") ? group.slice(6) : (GROUPS[group]?.() ?? group);
  return `${groupText} · ${fieldLabel(field)}`;
}

/**
 * Every metric the alert form offers for this document, in groups: [[group label, [path, ...]], ...].
 * @param {object} doc
 * @returns {[string, string[]][]}
 */
export function metricChoices(doc) {
  const nodes = (doc.nodes ?? []).filter((node) => node.kind !== "data_center");
  return [
    [GROUPS.business(), BUSINESS_FIELDS.map((field) => `business.${field}`)],
    [GROUPS["tiers.web"](), TIER_FIELDS.map((field) => `tiers.web.${field}`)],
    [GROUPS["tiers.data"](), TIER_FIELDS.map((field) => `tiers.data.${field}`)],
    ...nodes.map((node) => [
      t("Host: {name}", { name: nodeName(node) }),
      nodeFields(node.kind).map((field) => `nodes.${node.id}.${field}`),
    ]),
    [GROUPS.window(), WINDOW_FIELDS.map((field) => `window.${field}`)],
    [GROUPS.totals(), TOTAL_FIELDS.map((field) => `totals.${field}`)],
  ];
}
