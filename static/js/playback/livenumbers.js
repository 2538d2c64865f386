/**
 * The live numbers the page holds between frames: the newest frame, the gauges by node id, the
 * requests per second on each edge, and the dots the particles show for them.
 */

import { outcomeFlows } from "../canvas/flows.js";

const edgeKey = (from, to) => `${from}\u0000${to}`;

/**
 * @param {object} options
 * @param {import("../core/bus.js").Bus} options.bus  publishes "sim:gauges", "sim:classes" and "ui:redraw"
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {ReturnType<import("./stats.js").createStats>} options.stats
 * @param {ReturnType<import("../canvas/particles.js").createParticles>} options.particles
 */
export function createLiveNumbers({ bus, store, stats, particles }) {
  let frame = null;
  let gauges = {};
  let edgeRates = [];

  /** Spawn rates and totals of every document edge from the newest frame. */
  function updateEdges() {
    const flows = new Map((frame?.edges ?? []).map((edge) => [edgeKey(edge.from, edge.to), edge.flows ?? {}]));
    const byId = new Map(store.doc.nodes.map((node) => [node.id, node]));
    const perEdge = store.doc.edges.map((edge) => {
      const found = flows.get(edgeKey(edge.from, edge.to));
      const [from, to] = [byId.get(edge.from), byId.get(edge.to)];
      return found && from && to ? outcomeFlows(from, to, found, gauges[edge.to]) : null;
    });
    edgeRates = store.doc.edges.map((edge) => {
      const found = flows.get(edgeKey(edge.from, edge.to));
      return found ? Object.values(found).reduce((sum, rate) => sum + rate, 0) : null;
    });
    particles.setFlows(perEdge);
    const present = new Set(perEdge.flatMap((flows) => Object.keys(flows ?? {}).filter((name) => flows[name] > 0)));
    bus.emit("sim:classes", present);
  }

  function publishGauges() {
    bus.emit("sim:gauges", gauges);
    bus.emit("ui:redraw");
  }

  return {
    /** @param {object} message  a frame (docs/protocol.md) */
    showFrame(message) {
      frame = message;
      gauges = message.nodes ?? {};
      stats.showFrame(message);
      updateEdges();
      publishGauges();
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
    get edgeRates() {
      return edgeRates;
    },
  };
}
