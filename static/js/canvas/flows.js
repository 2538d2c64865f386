/**
 * What the dots on an edge show: a frame's flows per request class (read, write, job, static, ...),
 * turned into what happened to them. Reads into a cache (and static files into a CDN) split into
 * hits and misses by the target's hit ratio; writes from a primary to a replica (the engine's replica
 * sets, the `structure` of the state after a load) are replication;
 * the share of its arrivals a target failed (a dead or overloaded node) is errors. Frame fields
 * that an older engine does not send are simply not used.
 */

const LOOKUP = { cache: ["read"], cdn: ["read", "static"] };

/**
 * @param {Record<string, number>} flows  requests per second on the edge, by class
 * @param {object} edge
 * @param {{kind: string}} edge.to  the edge's target
 * @param {object} [edge.gauge]  the target's gauges in the same frame
 * @param {boolean} edge.replication  whether the edge runs from a primary to its replica
 * @returns {Record<string, number>}
 */
export function outcomeFlows(flows, { to, gauge, replication }) {
  const out = {};
  const add = (name, rps) => (out[name] = (out[name] ?? 0) + rps);
  const hitRatio = gauge?.hit_ratio;
  let total = 0;
  for (const [name, rps] of Object.entries(flows ?? {})) {
    if (!(rps > 0)) continue;
    total += rps;
    if (name === "write" && replication) add("replication", rps);
    else if (hitRatio != null && LOOKUP[to.kind]?.includes(name)) {
      add("hit", rps * hitRatio);
      add("miss", rps * (1 - hitRatio));
    } else add(name, rps);
  }
  const failed = gauge?.up === false ? 1 : gauge?.arrivals_rps > 0 ? Math.min(1, (gauge.errors_rps ?? 0) / gauge.arrivals_rps) : 0;
  if (failed > 0 && total > 0) {
    for (const name of Object.keys(out)) out[name] *= 1 - failed;
    add("error", total * failed);
  }
  return out;
}
