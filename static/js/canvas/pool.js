/**
 * The instances of a web server that runs several (horizontal scaling): what each is doing, from
 * a frame's `pool` (docs/protocol.md, Frames), or, before any frame, how many the document asks for.
 * The canvas draws one pip per instance under the node (render.js); the node card and the live
 * numbers table say the same in words.
 */

import { t } from "../core/i18n.js";

/** An instance's state as drawn: the engine's state, or "dead" for one killed while in service. */
export const POOL_STATES = ["running", "booting", "draining", "dead"];

/**
 * @typedef {object} Pip
 * @property {"booting" | "running" | "draining" | "dead" | "planned"} state  "planned" before any frame
 * @property {number} util  its utilisation in the slice, 0 to 1
 */

/**
 * One pip per instance of a node, or [] for a node with one instance.
 * @param {object} node  the document's node
 * @param {object | undefined} gauge  its numbers in the newest frame
 * @returns {Pip[]}
 */
export function poolPips(node, gauge) {
  if (gauge?.pool) {
    return gauge.pool.map((instance) => ({
      state: instance.state !== "booting" && instance.up === false ? "dead" : instance.state,
      util: instance.util ?? 0,
    }));
  }
  if (gauge || node.kind !== "web_server") return [];
  const count = Number(node.props?.instances ?? 1);
  return count > 1 ? Array.from({ length: count }, () => ({ state: "planned", util: 0 })) : [];
}

/**
 * How many instances are in each state, in words: "3 running, 2 booting" (empty for no pool).
 * @param {object[] | undefined} pool  a frame's pool
 * @returns {string}
 */
export function poolText(pool) {
  if (!pool?.length) return "";
  const counts = Object.fromEntries(POOL_STATES.map((state) => [state, 0]));
  for (const pip of poolPips({}, { pool })) counts[pip.state] += 1;
  const words = {
    booting: t("{count} booting", { count: counts.booting }),
    running: t("{count} running", { count: counts.running }),
    draining: t("{count} draining", { count: counts.draining }),
    dead: t("{count} dead", { count: counts.dead }),
  };
  return POOL_STATES.filter((state) => counts[state] > 0 || state === "running")
    .map((state) => words[state])
    .join(", ");
}
