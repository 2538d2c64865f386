/**
 * Which connections make sense, from the engine's catalog: each kind's `connects_to` lists the
 * kinds it may send requests to (null: the engine does not restrict it).
 */

import { t } from "../core/i18n.js";

/**
 * Whether a node may send requests to another.
 * @param {object} catalog
 * @param {{id: string, kind: string}} from
 * @param {{id: string, kind: string}} to
 */
export function canConnect(catalog, from, to) {
  // A data center is a place, not a component requests travel to.
  if (!from || !to || from.id === to.id || from.kind === "data_center" || to.kind === "data_center") return false;
  const allowed = catalog.kinds?.[from.kind]?.connects_to;
  return allowed == null || allowed.includes(to.kind);
}

/**
 * The kinds a kind may connect to, as the catalog's (translated) labels, or null when any.
 * @param {object} catalog
 * @param {string} kind
 * @returns {string[] | null}
 */
export function targetLabels(catalog, kind) {
  const allowed = catalog.kinds?.[kind]?.connects_to;
  return allowed == null ? null : allowed.map((target) => catalog.kinds?.[target]?.label ?? target);
}

/**
 * A database's edge to another database is replication (primary to replica), not requests.
 * @param {{kind: string}} from
 * @param {{kind: string}} to
 */
export const isReplication = (from, to) => from.kind === "database" && to.kind === "database";

/**
 * Why a wire was not drawn, with the kinds its source can reach.
 * @param {object} catalog
 * @param {{kind: string}} from
 * @param {{kind: string}} to
 * @returns {string}
 */
export function refusedEdgeText(catalog, from, to) {
  const label = (kind) => catalog.kinds?.[kind]?.label ?? kind;
  const reachable = targetLabels(catalog, from.kind) ?? [];
  const values = { from: label(from.kind), to: label(to.kind), targets: reachable.join(", ") };
  return reachable.length
    ? t("{from} cannot send requests to {to}. It can connect to: {targets}.", values)
    : t("{from} cannot send requests to {to}. It sends requests to nothing.", values);
}
