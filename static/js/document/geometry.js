/**
 * Shapes of the diagram in world units and the hit tests on them.
 * Nodes are 120 x 60 boxes centred on (x, y); an edge is a cubic curve from the right middle
 * of its source to the left middle of its target; each node's connection handle sits at its
 * right middle.
 */

export const NODE_WIDTH = 120;
export const NODE_HEIGHT = 60;
export const HALF_WIDTH = NODE_WIDTH / 2;
export const HALF_HEIGHT = NODE_HEIGHT / 2;
/** Drawn radius of a connection handle, in CSS pixels. */
export const HANDLE_RADIUS = 5;
/** How close to a handle a press must be to start a connection, in CSS pixels. */
export const HANDLE_HIT = 8;
/** How close to an edge a press must be to select it, in CSS pixels. */
export const EDGE_HIT = 6;

/**
 * @typedef {{x0: number, y0: number, c1x: number, c1y: number, c2x: number, c2y: number, x1: number, y1: number}} Curve
 */

/** A data center is a region box that other nodes sit in (their `dc`), sized by its own width and height. */
export const isBox = (node) => node.kind === "data_center";
/** Size of a new data-center box, and the smallest it may be resized to, in world units. */
export const BOX_DEFAULT = { width: 400, height: 280 };
export const BOX_MIN = { width: 200, height: 120 };
/** Box sides snap to this, so that half a side, from the snapped centre, stays on the grid. */
export const BOX_STEP = 40;

/**
 * The size of a node in world units.
 * @param {{kind: string, width?: number, height?: number}} node
 */
export const sizeOf = (node) =>
  isBox(node)
    ? { width: node.width ?? BOX_DEFAULT.width, height: node.height ?? BOX_DEFAULT.height }
    : { width: NODE_WIDTH, height: NODE_HEIGHT };

/**
 * The world rectangle of a node.
 * @param {{x: number, y: number, kind: string}} node
 */
export function nodeBox(node) {
  const { width, height } = sizeOf(node);
  return { x: node.x - width / 2, y: node.y - height / 2, width, height };
}

/**
 * The smallest data-center box holding a world point, or null.
 * @param {object[]} nodes
 * @param {number} x
 * @param {number} y
 */
export function boxAt(nodes, x, y) {
  let best = null;
  for (const node of nodes) {
    if (!isBox(node)) continue;
    const box = nodeBox(node);
    const inside = x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height;
    if (inside && (!best || box.width * box.height < nodeBox(best).width * nodeBox(best).height)) best = node;
  }
  return best;
}

/**
 * The data-center box whose resize grip (its bottom-right corner) is within radius of a world point.
 * @param {object[]} nodes
 * @param {number} x
 * @param {number} y
 * @param {number} radius  in world units
 */
export function resizeGripAt(nodes, x, y, radius) {
  for (let i = nodes.length - 1; i >= 0; i -= 1) {
    if (!isBox(nodes[i])) continue;
    const box = nodeBox(nodes[i]);
    if (Math.hypot(x - (box.x + box.width), y - (box.y + box.height)) <= radius) return nodes[i];
  }
  return null;
}

/**
 * The connection handle of a node: the middle of its right side.
 * @param {{x: number, y: number}} node
 */
export const handlePoint = (node) => ({ x: node.x + HALF_WIDTH, y: node.y });

/**
 * The curve of an edge between two points (the source's right side, the target's left side).
 * @param {number} x0
 * @param {number} y0
 * @param {number} x1
 * @param {number} y1
 * @returns {Curve}
 */
export function curveBetween(x0, y0, x1, y1) {
  const reach = Math.max(40, Math.abs(x1 - x0) / 2);
  return { x0, y0, c1x: x0 + reach, c1y: y0, c2x: x1 - reach, c2y: y1, x1, y1 };
}

/**
 * The curve of an edge from one node to another.
 * @param {{x: number, y: number}} from
 * @param {{x: number, y: number}} to
 * @returns {Curve}
 */
export const edgeCurve = (from, to) => curveBetween(from.x + HALF_WIDTH, from.y, to.x - HALF_WIDTH, to.y);

/**
 * The curve of every edge of a document, in its order; null for an edge whose ends are missing.
 * @param {{nodes: object[], edges: {from: string, to: string}[]}} doc
 */
export function edgeCurves(doc) {
  const byId = new Map(doc.nodes.map((node) => [node.id, node]));
  return doc.edges.map((edge) => {
    const [from, to] = [byId.get(edge.from), byId.get(edge.to)];
    return from && to ? edgeCurve(from, to) : null;
  });
}

/**
 * The point at parameter t (0 to 1) of a curve, written into out to avoid allocations.
 * @param {Curve} c
 * @param {number} t
 * @param {{x: number, y: number}} out
 * @returns {{x: number, y: number}}
 */
export function pointOnCurve(c, t, out) {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const d = 3 * u * t * t;
  const e = t * t * t;
  out.x = a * c.x0 + b * c.c1x + d * c.c2x + e * c.x1;
  out.y = a * c.y0 + b * c.c1y + d * c.c2y + e * c.y1;
  return out;
}

/**
 * The approximate length of a curve (a 16-segment polyline).
 * @param {Curve} c
 * @returns {number}
 */
export function curveLength(c) {
  const point = { x: c.x0, y: c.y0 };
  let [px, py, length] = [c.x0, c.y0, 0];
  for (let i = 1; i <= 16; i += 1) {
    pointOnCurve(c, i / 16, point);
    length += Math.hypot(point.x - px, point.y - py);
    [px, py] = [point.x, point.y];
  }
  return length;
}

/**
 * The shortest distance from a point to a curve (sampled).
 * @param {Curve} c
 * @param {number} x
 * @param {number} y
 * @returns {number}
 */
export function distanceToCurve(c, x, y) {
  const point = { x: 0, y: 0 };
  let best = Infinity;
  let [px, py] = [c.x0, c.y0];
  for (let i = 1; i <= 32; i += 1) {
    pointOnCurve(c, i / 32, point);
    best = Math.min(best, distanceToSegment(x, y, px, py, point.x, point.y));
    [px, py] = [point.x, point.y];
  }
  return best;
}

function distanceToSegment(x, y, ax, ay, bx, by) {
  const [dx, dy] = [bx - ax, by - ay];
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / lengthSquared)) : 0;
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

/**
 * The topmost node whose box (grown by margin) holds a world point, or null.
 * @param {object[]} nodes  in drawing order
 * @param {number} x
 * @param {number} y
 * @param {number} [margin]
 */
export function nodeAt(nodes, x, y, margin = 0) {
  // Components lie on top of the data-center boxes they sit in, so they are found first.
  for (let i = nodes.length - 1; i >= 0; i -= 1) {
    const node = nodes[i];
    if (isBox(node)) continue;
    if (Math.abs(x - node.x) <= HALF_WIDTH + margin && Math.abs(y - node.y) <= HALF_HEIGHT + margin) return node;
  }
  return boxAt(nodes, x, y);
}

/**
 * The topmost node whose connection handle is within radius of a world point, or null.
 * @param {object[]} nodes
 * @param {number} x
 * @param {number} y
 * @param {number} radius  in world units
 */
export function handleAt(nodes, x, y, radius) {
  for (let i = nodes.length - 1; i >= 0; i -= 1) {
    if (isBox(nodes[i])) continue;
    const handle = handlePoint(nodes[i]);
    if (Math.hypot(x - handle.x, y - handle.y) <= radius) return nodes[i];
  }
  return null;
}

/**
 * The edge nearest to a world point within tolerance, or null.
 * @param {object} doc
 * @param {number} x
 * @param {number} y
 * @param {number} tolerance  in world units
 * @returns {{from: string, to: string} | null}
 */
export function edgeAt(doc, x, y, tolerance) {
  const byId = new Map(doc.nodes.map((node) => [node.id, node]));
  let best = null;
  let bestDistance = tolerance;
  for (const edge of doc.edges) {
    const [from, to] = [byId.get(edge.from), byId.get(edge.to)];
    if (!from || !to) continue;
    const distance = distanceToCurve(edgeCurve(from, to), x, y);
    if (distance <= bestDistance) [best, bestDistance] = [edge, distance];
  }
  return best;
}
