/**
 * Requests in flight, drawn as dots travelling along the edges.
 *
 * Layout of the particle buffer (one Float32Array, STRIDE floats per particle; live particles
 * are packed in slots 0 .. count-1, and a finished one is replaced by the last):
 *   [i * STRIDE + 0]  edge      index of the edge in the document's edge list
 *   [i * STRIDE + 1]  progress  0 at the source's handle, 1 at the target's arrowhead
 *   [i * STRIDE + 2]  speed     progress per second of wall time
 *   [i * STRIDE + 3]  class     index of the request class in `classes` (the catalog's request_classes)
 *
 * Spawn rates live in a second Float32Array, one slot per (edge, class): rates[edge * classCount + class],
 * with the fractional particles still owed in debt[] at the same index.
 */

import { createRandom } from "../core/random.js";

export const STRIDE = 4;
/** World units per second a particle travels at speed 1. */
const TRAVEL_SPEED = 170;
/** Most particles one edge and class may start per wall second. */
const MAX_VISUAL_RATE = 40;

/**
 * Particles per wall second for a flow in requests per simulated second. Logarithmic, so one
 * request a second shows a dot now and then and a million a second does not flood the screen.
 * @param {number} rps
 * @returns {number}
 */
export function visualRate(rps) {
  return rps > 0 ? Math.min(MAX_VISUAL_RATE, 2.5 * Math.log2(1 + rps / 2)) : 0;
}

/**
 * @typedef {object} RequestClass  an entry of the catalog's `request_classes`
 * @property {string} name  "read", "hit", ...
 * @property {string} label  its name for people, translated
 * @property {string} colour  the colour of its dots
 * @property {boolean} in_frames  whether frames carry it (the others are outcomes, flows.js)
 */

/**
 * Create the particle system.
 * @param {object} options
 * @param {RequestClass[]} options.classes  what a dot may show, in drawing order; must hold "other"
 * @param {number} [options.capacity]  caps the particles alive at once
 * @param {number} [options.seed]
 */
export function createParticles({ classes, capacity = 2000, seed = 7 }) {
  const classCount = classes.length;
  const indexOf = new Map(classes.map(({ name }, index) => [name, index]));
  // A class the catalog does not list is drawn as "other".
  const classIndex = (name) => indexOf.get(name) ?? indexOf.get("other");
  const data = new Float32Array(capacity * STRIDE);
  const random = createRandom(seed);
  let rates = new Float32Array(0);
  let debt = new Float32Array(0);
  let count = 0;

  /**
   * Set the spawn rates from a frame's flows, one entry per edge of the document.
   * @param {(Record<string, number> | null)[]} flowsPerEdge  null for an edge that carries nothing
   */
  function setFlows(flowsPerEdge) {
    if (rates.length !== flowsPerEdge.length * classCount) {
      rates = new Float32Array(flowsPerEdge.length * classCount);
      debt = new Float32Array(rates.length);
    }
    rates.fill(0);
    // The edge's total sets how many dots it shows; the classes share them in proportion, so
    // that 10% writes look like 10% of the dots.
    flowsPerEdge.forEach((flows, edge) => {
      const entries = Object.entries(flows ?? {}).filter(([, rps]) => rps > 0);
      const total = entries.reduce((sum, [, rps]) => sum + rps, 0);
      const dots = visualRate(total);
      for (const [name, rps] of entries) rates[edge * classCount + classIndex(name)] += (dots * rps) / total;
    });
  }

  // A dot started during the last `elapsed` seconds is placed where it would be by now, so the
  // dots owed after a long frame spread along the edge instead of stacking at its start.
  function spawn(edge, cls, lengths, elapsed) {
    if (count >= capacity) return;
    const base = count * STRIDE;
    const speed = (TRAVEL_SPEED * (0.85 + 0.3 * random())) / Math.max(lengths[edge], 1);
    data[base] = edge;
    data[base + 1] = Math.min(0.99, speed * elapsed * random());
    data[base + 2] = speed;
    data[base + 3] = cls;
    count += 1;
  }

  function remove(i) {
    count -= 1;
    data.copyWithin(i * STRIDE, count * STRIDE, count * STRIDE + STRIDE);
  }

  /**
   * Advance by dt seconds of wall time: start new particles by the rates, move, drop arrivals.
   * @param {number} dt
   * @param {ArrayLike<number>} lengths  current length of each edge in world units
   * @param {number} [pace]  multiplies travel speed (a faster simulation moves dots faster)
   */
  function update(dt, lengths, pace = 1) {
    for (let i = count - 1; i >= 0; i -= 1) {
      const base = i * STRIDE;
      data[base + 1] += data[base + 2] * dt * pace;
      if (data[base + 1] >= 1) remove(i);
    }
    for (let slot = 0; slot < rates.length; slot += 1) {
      if (!rates[slot]) continue;
      debt[slot] += rates[slot] * dt;
      for (; debt[slot] >= 1; debt[slot] -= 1)
        spawn(Math.floor(slot / classCount), slot % classCount, lengths, dt * pace);
    }
  }

  /**
   * Drop every particle on the edges a predicate picks (such as edges into a dead node).
   * @param {(edge: number) => boolean} predicate
   */
  function cull(predicate) {
    for (let i = count - 1; i >= 0; i -= 1) if (predicate(data[i * STRIDE])) remove(i);
  }

  /** Forget every particle and rate (after the edges changed). */
  function clear() {
    count = 0;
    rates = new Float32Array(0);
    debt = new Float32Array(0);
  }

  return {
    data,
    /** @type {RequestClass[]} the class of a particle by its index */
    classes,
    get count() {
      return count;
    },
    /** Whether any particle is alive or any edge is spawning. */
    get active() {
      return count > 0 || rates.some((rate) => rate > 0);
    },
    setFlows,
    update,
    cull,
    clear,
  };
}
