/**
 * The live numbers the page holds between frames: the newest frame, the gauges by node id, the
 * requests per second on each edge, and the dots the particles show for them; and what the
 * engine last said of the document: the requirements each node meets (`met`, in every frame and
 * the state after a load) and its replica sets and shard groups (`structure`).
 */

import { outcomeFlows } from "../canvas/flows.js";
import { hopNode } from "../document/document.js";

const edgeKey = (from, to) => `${from}\u0000${to}`;

/** The edges from each primary to its replicas, by edgeKey. */
const replicationEdges = (structure) =>
  new Set(structure.replica_sets.flatMap(({ primary, replicas }) => replicas.map((replica) => edgeKey(primary, replica))));

/**
 * Requests per simulated second of a frame's stories on each edge (by edgeKey): the volume the
 * sampled dots already show.
 * @param {object} frame
 * @param {number} dt  the simulated seconds the frame covers
 */
function sampledRates(frame, dt) {
  const rates = new Map();
  for (const story of frame.stories ?? []) {
    let previous = story.from;
    for (const hop of story.hops) {
      const node = hopNode(hop);
      const key = edgeKey(previous, node);
      rates.set(key, (rates.get(key) ?? 0) + 1 / dt);
      previous = node;
    }
  }
  return rates;
}

/** A flow's rates less what the sampled dots show, so rate dots are drawn only for the rest. */
function unsampled(flows, sampledRps) {
  const total = Object.values(flows).reduce((sum, rate) => sum + rate, 0);
  const share = total > 0 ? Math.max(0, 1 - sampledRps / total) : 0;
  return Object.fromEntries(Object.entries(flows).map(([name, rate]) => [name, rate * share]));
}

/**
 * @param {object} options
 * @param {import("../core/bus.js").Bus} options.bus  publishes "sim:gauges", "sim:classes",
 *   "sim:dots" (which kinds of dots the canvas shows), "sim:met" and "ui:redraw"
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {ReturnType<import("./stats.js").createStats>} options.stats
 * @param {ReturnType<import("../canvas/particles.js").createParticles>} options.particles
 */
export function createLiveNumbers({ bus, store, stats, particles }) {
  let frame = null;
  let gauges = {};
  let edgeRates = [];
  let met = {};
  let replication = new Set();
  let sampled = new Map();

  /** Spawn rates and totals of every document edge from the newest frame. */
  function updateEdges() {
    const flows = new Map((frame?.edges ?? []).map((edge) => [edgeKey(edge.from, edge.to), edge.flows ?? {}]));
    const byId = new Map(store.doc.nodes.map((node) => [node.id, node]));
    const perEdge = store.doc.edges.map((edge) => {
      const found = flows.get(edgeKey(edge.from, edge.to));
      const [from, to] = [byId.get(edge.from), byId.get(edge.to)];
      if (!found || !from || !to) return null;
      const rest = unsampled(found, sampled.get(edgeKey(edge.from, edge.to)) ?? 0);
      return outcomeFlows(rest, { to, gauge: gauges[edge.to], replication: replication.has(edgeKey(edge.from, edge.to)) });
    });
    edgeRates = store.doc.edges.map((edge) => {
      const found = flows.get(edgeKey(edge.from, edge.to));
      return found ? Object.values(found).reduce((sum, rate) => sum + rate, 0) : null;
    });
    particles.setFlows(perEdge);
    const volume = new Set(perEdge.flatMap((flows) => Object.keys(flows ?? {}).filter((name) => flows[name] > 0)));
    const stories = frame?.stories ?? [];
    const told = stories.flatMap((story) => (story.outcome === "failed" ? [story.class, "error"] : [story.class]));
    bus.emit("sim:classes", new Set([...volume, ...told]));
    bus.emit("sim:dots", { sampled: stories.length > 0, volume: volume.size > 0 });
  }

  function publishGauges() {
    bus.emit("sim:gauges", gauges);
    bus.emit("ui:redraw");
  }

  return {
    /** @param {object} message  a frame (docs/protocol.md) */
    showFrame(message) {
      const dt = frame && message.t > frame.t ? message.t - frame.t : 0.1;
      sampled = sampledRates(message, dt);
      frame = message;
      gauges = message.nodes ?? {};
      met = message.met;
      stats.showFrame(message);
      updateEdges();
      publishGauges();
    },
    /**
     * Take what a "state" message says of the document the server holds, where it says it.
     * @param {{met?: import("./actions.js").Met, structure?: {replica_sets: object[], shard_groups: object}}} message
     */
    hear(message) {
      if ("structure" in message) replication = replicationEdges(message.structure);
      if ("met" in message) {
        met = message.met;
        bus.emit("sim:met", met);
      }
    },
    /** The edges changed: the dots start again from the new edge list. */
    edgesChanged() {
      particles.clear();
      updateEdges();
    },
    /** Show the expected effect of kill and revive on a node until the next frame tells. */
    assume(action, target) {
      const up = action === "revive";
      gauges = { ...gauges, [target]: { ...(gauges[target] ?? {}), up, ...(up ? {} : { rps: 0, util: 0, queue: 0 }) } };
      particles.cull((edge) => !up && store.doc.edges[edge]?.to === target);
      updateEdges();
      publishGauges();
    },
    /** Forget every live number (a new load or a reset). */
    clear() {
      frame = null;
      gauges = {};
      edgeRates = [];
      particles.clear();
      stats.clear();
      publishGauges();
    },
    get frame() {
      return frame;
    },
    get gauges() {
      return gauges;
    },
    /** The requirements each node meets, as the engine last said. */
    get met() {
      return met;
    },
    get edgeRates() {
      return edgeRates;
    },
  };
}
