/**
 * The sampled requests on the canvas: each story of a frame becomes one dot that walks its real
 * hop path, edge by edge, and stops at each node for that hop's measured queue and service time,
 * slowed down so a millisecond can be seen. A failed one turns the error colour and stays a moment
 * where it failed. A person can click a dot to open its story (pick).
 *
 * A dot is a small object, not a typed-array slot (particles.js): at most `capacity` live at
 * once, and each needs its own list of legs. A leg is {edge, from, to, start, end}: between wall
 * seconds start and end of the dot's life it goes from progress `from` to `to` along the edge.
 */

import { pointOnCurve } from "../document/geometry.js";
import { THEME } from "./theme.js";
import { hopNode } from "../document/document.js";

/** Wall seconds a dot takes along one edge (the engine's network time is usually 0: this is only to see it move). */
const TRAVEL_S = 0.45;
/** Wall seconds per simulated second of a hop's queue and service: slow motion. */
const SLOW_MOTION = 20;
/** The longest stop at one node, in wall seconds; a story with a longer hop is slowed less, evenly. */
const MAX_STOP_S = 2.5;
/** How long a failed dot stays where it failed. */
const FAILED_S = 0.9;
/** Where a queued request waits: just short of the node's arrowhead; one in service is at it. */
const QUEUED_AT = 0.93;
const RADIUS = 3.6;

/**
 * @param {object} options
 * @param {import("./particles.js").RequestClass[]} options.classes  the catalog's request_classes (colours)
 * @param {number} [options.capacity]  the most dots alive at once; later stories wait for room
 */
export function createStoryParticles({ classes, capacity = 120 }) {
  const colour = new Map(classes.map(({ name, colour: c }) => [name, c]));
  let dots = [];
  let lastAdd = 0;

  /** The legs of a story's path over the document's edges (an edge key -> its index). */
  function legs(story, edgeIndex, pace) {
    const hops = story.hops ?? [];
    const longest = Math.max(...hops.map((hop) => hop.queued_ms + hop.service_ms), 1e-9);
    const scale = Math.min(SLOW_MOTION, (MAX_STOP_S * 1000) / longest) / 1000 / pace;
    const out = [];
    let at = 0;
    let previous = story.from;
    for (const hop of hops) {
      const node = hopNode(hop);
      const edge = edgeIndex.get(`${previous}\u0000${node}`);
      previous = node;
      if (edge == null) continue;
      const travel = TRAVEL_S / pace + hop.network_ms * scale;
      out.push({ edge, from: 0, to: QUEUED_AT, start: at, end: (at += travel) });
      out.push({ edge, from: QUEUED_AT, to: QUEUED_AT, start: at, end: (at += hop.queued_ms * scale) });
      out.push({ edge, from: 1, to: 1, start: at, end: (at += hop.service_ms * scale) });
    }
    if (out.length && story.outcome === "failed") {
      const last = out[out.length - 1];
      out.push({ edge: last.edge, from: 1, to: 1, start: at, end: at + FAILED_S / pace, failed: true });
    }
    return out;
  }

  /**
   * Start a frame's stories, spread over the wall time since the previous frame's (frames come
   * about that often) in the order they left their users.
   * @param {object[]} stories
   * @param {{edges: {from: string, to: string}[]}} doc
   * @param {number} pace  multiplies travel speed (sim.js pace)
   */
  function add(stories, doc, pace) {
    const now = performance.now();
    const spread = Math.min(1, Math.max(0, (now - lastAdd) / 1000));
    lastAdd = now;
    const edgeIndex = new Map(doc.edges.map((edge, index) => [`${edge.from}\u0000${edge.to}`, index]));
    const first = Math.min(...stories.map((story) => story.t));
    const last = Math.max(...stories.map((story) => story.t));
    for (const story of stories) {
      if (dots.length >= capacity) return;
      const path = legs(story, edgeIndex, pace);
      if (!path.length) continue;
      const delay = last > first ? (spread * (story.t - first)) / (last - first) : 0;
      const fill = colour.get(story.class) ?? colour.get("other");
      dots.push({ id: story.id, age: -delay, legs: path, end: path[path.length - 1].end, fill, failed: story.outcome === "failed" });
    }
  }

  /** @param {number} dt  wall seconds */
  function update(dt) {
    for (const dot of dots) dot.age += dt;
    dots = dots.filter((dot) => dot.age < dot.end);
  }

  /** Where a dot is now: its edge and progress, and whether it shows its failure; null before it starts. */
  function where(dot) {
    if (dot.age < 0) return null;
    const leg = dot.legs.find((candidate) => dot.age < candidate.end) ?? dot.legs[dot.legs.length - 1];
    const span = leg.end - leg.start;
    const progress = span > 0 ? leg.from + ((leg.to - leg.from) * (dot.age - leg.start)) / span : leg.to;
    return { edge: leg.edge, progress: Math.min(1, Math.max(0, progress)), failed: Boolean(leg.failed) };
  }

  function each(curves, visit) {
    const point = { x: 0, y: 0 };
    for (const dot of dots) {
      const place = where(dot);
      const curve = place && curves[place.edge];
      if (!curve) continue;
      pointOnCurve(curve, place.progress, point);
      visit(dot, point, place);
    }
  }

  /**
   * Draw every dot: bigger than a rate dot, with a ring in the canvas's background colour, so a
   * real request reads apart from the volume dots.
   * @param {CanvasRenderingContext2D} ctx  in world coordinates
   * @param {(object | null)[]} curves  each document edge's curve
   */
  function draw(ctx, curves) {
    const radius = RADIUS * Math.sqrt(THEME.line);
    ctx.lineWidth = 1.2 * THEME.line;
    ctx.strokeStyle = THEME.background;
    each(curves, (dot, point, place) => {
      ctx.beginPath();
      ctx.arc(point.x, point.y, place.failed ? radius * 1.3 : radius, 0, Math.PI * 2);
      ctx.fillStyle = place.failed ? THEME.danger : dot.fill;
      ctx.fill();
      ctx.stroke();
    });
  }

  /**
   * The id of the dot nearest a world point within `tolerance` world units, or null.
   * @param {number} x
   * @param {number} y
   * @param {(object | null)[]} curves
   * @param {number} tolerance
   */
  function pick(x, y, curves, tolerance) {
    let best = null;
    let bestDistance = tolerance;
    each(curves, (dot, point) => {
      const distance = Math.hypot(point.x - x, point.y - y);
      if (distance <= bestDistance) [best, bestDistance] = [dot.id, distance];
    });
    return best;
  }

  return {
    add,
    update,
    draw,
    pick,
    clear: () => (dots = []),
    get count() {
      return dots.length;
    },
    get active() {
      return dots.length > 0;
    },
  };
}
