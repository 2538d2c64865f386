/**
 * Drawing of the whole canvas. render() reads the scene and never changes it.
 */

import { t } from "../core/i18n.js";
import { formatCompact } from "../core/format.js";
import {
  curveBetween,
  edgeCurve,
  edgeCurves,
  handlePoint,
  HALF_HEIGHT,
  HALF_WIDTH,
  HANDLE_RADIUS,
  isBox,
  NODE_HEIGHT,
  nodeBox,
  NODE_WIDTH,
  pointOnCurve,
} from "../document/geometry.js";
import { canConnect, isReplication } from "../document/edges.js";
import { drawIcon, kindColor } from "./icons.js";
import { STRIDE } from "./particles.js";
import { THEME, utilColor } from "./theme.js";
import { applyView, toWorld } from "./view.js";
import { GRID, nodeName, selectedIds } from "../document/document.js";
import { poolPips } from "./pool.js";

/**
 * @typedef {object} Scene
 * @property {object} doc  the topology document
 * @property {object} catalog  the engine catalog (kind labels)
 * @property {Record<string, object>} gauges  live numbers by node id (a frame's "nodes"), {} before any frame
 * @property {(number | null)[]} edgeRates  requests per second on each edge of doc.edges, null before any frame
 * @property {{data: Float32Array, count: number, classes: import("./particles.js").RequestClass[]}} particles
 * @property {ReturnType<import("./storyparticles.js").createStoryParticles>} [stories]  the sampled requests' dots
 * @property {{type: "node", id: string} | {type: "nodes", ids: string[]} | {type: "edge", from: string, to: string} | null} selection
 * @property {Map<string, string[]>} findings  design findings' messages by node id
 * @property {{x0: number, y0: number, x1: number, y1: number} | null} band  a rubber band (world)
 * @property {string | null} hover  id of the node under the pointer
 * @property {{from: string, x: number, y: number, target: string | null} | null} connecting  a wire being drawn (world point)
 * @property {{kind: string, x: number, y: number} | null} ghost  a node about to be placed (world centre)
 * @property {boolean} editable
 */

/**
 * @typedef {import("./view.js").View & {width: number, height: number, dpr: number}} Viewport
 *   the camera plus the canvas size in CSS pixels and the device pixel ratio
 */

/**
 * Draw the scene.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Scene} scene
 * @param {Viewport} view
 */
export function render(ctx, scene, view) {
  ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
  ctx.fillStyle = THEME.background;
  ctx.fillRect(0, 0, view.width, view.height);
  applyView(ctx, view, view.dpr);
  drawGrid(ctx, view);
  const byId = new Map(scene.doc.nodes.map((node) => [node.id, node]));
  for (const node of scene.doc.nodes) if (isBox(node)) drawBox(ctx, scene, node);
  drawEdges(ctx, scene, byId);
  drawParticles(ctx, scene, view.dpr * view.zoom);
  if (scene.stories?.active) scene.stories.draw(ctx, edgeCurves(scene.doc));
  drawEdgeRates(ctx, scene, byId);
  if (scene.connecting) drawWire(ctx, scene, byId);
  for (const node of scene.doc.nodes) if (!isBox(node)) drawNode(ctx, scene, node);
  if (scene.ghost) drawGhost(ctx, scene.ghost);
  if (scene.band) drawBand(ctx, scene.band);
}

// A data center: a region box behind the components that sit in it, its name and region on top,
// a grip at its bottom-right corner to resize it.
function drawBox(ctx, scene, node) {
  const { x, y, width, height } = nodeBox(node);
  const dead = isDown(scene, node.id);
  const selected = selectedIds(scene.selection).includes(node.id);
  const color = dead ? THEME.danger : kindColor(node.kind);
  ctx.save();
  ctx.fillStyle = dead ? THEME.deadFill : `${kindColor(node.kind)}0d`;
  roundRect(ctx, x, y, width, height, 14);
  ctx.fill();
  ctx.strokeStyle = selected ? THEME.accent : color;
  ctx.lineWidth = (selected ? 2 : 1.4) * THEME.line;
  ctx.setLineDash(selected ? [] : [8, 5]);
  ctx.stroke();
  ctx.setLineDash([]);
  drawIcon(ctx, node.kind, x + 10, y + 8, 16, color);
  ctx.fillStyle = dead ? THEME.danger : THEME.text;
  ctx.font = `600 12px ${THEME.font}`;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  const region = node.props?.region ? ` · ${node.props.region}` : "";
  ctx.fillText(fitText(ctx, `${nodeName(node)}${region}`, width - 90), x + 32, y + 16);
  if (dead) drawBadge(ctx, t("DOWN"), x + width - 12, y, THEME.danger);
  if (scene.findings.has(node.id)) drawWarning(ctx, x, y);
  if (scene.editable && (selected || scene.hover === node.id)) {
    ctx.strokeStyle = selected ? THEME.accent : THEME.muted;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (const inset of [6, 11]) {
      ctx.moveTo(x + width - inset, y + height - 2);
      ctx.lineTo(x + width - 2, y + height - inset);
    }
    ctx.stroke();
  }
  ctx.restore();
}

function drawBand(ctx, { x0, y0, x1, y1 }) {
  ctx.fillStyle = THEME.accentSoft;
  ctx.strokeStyle = THEME.accent;
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 3]);
  ctx.fillRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
  ctx.strokeRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
  ctx.setLineDash([]);
}

function drawGrid(ctx, view) {
  const step = view.zoom < 0.5 ? GRID * 4 : view.zoom < 0.8 ? GRID * 2 : GRID;
  const topLeft = toWorld(view, 0, 0);
  const bottomRight = toWorld(view, view.width, view.height);
  const size = 1.2 / view.zoom;
  ctx.fillStyle = THEME.gridDot;
  ctx.beginPath();
  for (let x = Math.floor(topLeft.x / step) * step; x <= bottomRight.x; x += step) {
    for (let y = Math.floor(topLeft.y / step) * step; y <= bottomRight.y; y += step) {
      ctx.rect(x - size / 2, y - size / 2, size, size);
    }
  }
  ctx.fill();
}

const isSelectedEdge = (selection, edge) =>
  selection?.type === "edge" && selection.from === edge.from && selection.to === edge.to;

const isDown = (scene, id) => scene.gauges[id]?.up === false;

function drawEdges(ctx, scene, byId) {
  for (const edge of scene.doc.edges) {
    const [from, to] = [byId.get(edge.from), byId.get(edge.to)];
    if (!from || !to) continue;
    const selected = isSelectedEdge(scene.selection, edge);
    const dead = isDown(scene, edge.to) || isDown(scene, edge.from);
    const replication = isReplication(from, to);
    const color = selected ? THEME.accent : dead ? THEME.edgeDead : replication ? THEME.replication : THEME.edge;
    const dash = dead ? [5, 5] : replication ? [9, 3, 2, 3] : [];
    drawCurve(ctx, edgeCurve(from, to), color, (selected ? 2.5 : replication ? 2 : 1.6) * THEME.line, dash);
  }
}

function drawCurve(ctx, c, color, width, dash) {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.beginPath();
  ctx.moveTo(c.x0, c.y0);
  ctx.bezierCurveTo(c.c1x, c.c1y, c.c2x, c.c2y, c.x1 - 6, c.y1);
  ctx.stroke();
  ctx.setLineDash([]);
  const angle = Math.atan2(c.y1 - c.c2y, c.x1 - c.c2x);
  ctx.translate(c.x1, c.y1);
  ctx.rotate(angle);
  ctx.beginPath();
  ctx.moveTo(0, 0);
  ctx.lineTo(-9, -4.5);
  ctx.lineTo(-9, 4.5);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}

// Below about 1.5 canvas pixels of radius a dot and a small square look alike, and squares cost
// about half as much to fill on a canvas drawn without a GPU: a zoomed-out view of 2,000 dots.
const SQUARE_BELOW_PX = 1.5;

function drawParticles(ctx, scene, scale) {
  const { data, count, classes } = scene.particles;
  if (!count) return;
  const curves = edgeCurves(scene.doc);
  const point = { x: 0, y: 0 };
  const radius = 2.6 * Math.sqrt(THEME.line);
  const side = radius * Math.sqrt(Math.PI);
  const square = radius * scale < SQUARE_BELOW_PX;
  for (let cls = 0; cls < classes.length; cls += 1) {
    ctx.fillStyle = classes[cls].colour;
    ctx.beginPath();
    for (let i = 0; i < count; i += 1) {
      const base = i * STRIDE;
      const curve = curves[data[base]];
      if (data[base + 3] !== cls || !curve) continue;
      pointOnCurve(curve, data[base + 1], point);
      if (square) {
        ctx.rect(point.x - side / 2, point.y - side / 2, side, side);
        continue;
      }
      ctx.moveTo(point.x + radius, point.y);
      ctx.arc(point.x, point.y, radius, 0, Math.PI * 2);
    }
    ctx.fill();
  }
}

// Each edge's rate sits on its midpoint; where edges fan in or out the midpoints crowd, so a
// label that would cover one already drawn is left out (the selected edge's goes first).
function drawEdgeRates(ctx, scene, byId) {
  ctx.font = `500 10px ${THEME.font}`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  const placed = [];
  const order = scene.doc.edges.map((edge, index) => index);
  order.sort(
    (a, b) =>
      Number(isSelectedEdge(scene.selection, scene.doc.edges[b])) -
      Number(isSelectedEdge(scene.selection, scene.doc.edges[a])),
  );
  const point = { x: 0, y: 0 };
  for (const index of order) {
    const edge = scene.doc.edges[index];
    const rate = scene.edgeRates[index];
    const [from, to] = [byId.get(edge.from), byId.get(edge.to)];
    if (rate == null || !from || !to) continue;
    pointOnCurve(edgeCurve(from, to), 0.5, point);
    const text = `${formatCompact(rate)}/s`;
    const width = ctx.measureText(text).width + 10;
    const box = { x: point.x - width / 2, y: point.y - 8, width, height: 16 };
    if (placed.some((other) => overlaps(box, other))) continue;
    placed.push(box);
    ctx.fillStyle = THEME.labelFill;
    roundRect(ctx, box.x, box.y, box.width, box.height, 8);
    ctx.fill();
    ctx.fillStyle = rate > 0 ? THEME.muted : THEME.deadText;
    ctx.fillText(text, point.x, point.y + 0.5);
  }
}

function overlaps(a, b) {
  return a.x < b.x + b.width + 2 && b.x < a.x + a.width + 2 && a.y < b.y + b.height + 2 && b.y < a.y + a.height + 2;
}

function drawWire(ctx, scene, byId) {
  const from = byId.get(scene.connecting.from);
  if (!from) return;
  const target = scene.connecting.target ? byId.get(scene.connecting.target) : null;
  const start = handlePoint(from);
  const [x1, y1] = target ? [target.x - HALF_WIDTH, target.y] : [scene.connecting.x, scene.connecting.y];
  const color = scene.connecting.refused ? THEME.danger : THEME.accent;
  drawCurve(ctx, curveBetween(start.x, start.y, x1, y1), color, 2, [6, 4]);
}

function drawNode(ctx, scene, node) {
  // While a wire is drawn, the nodes it cannot reach fade.
  const source = scene.connecting && scene.doc.nodes.find((other) => other.id === scene.connecting.from);
  const unreachable = source && source !== node && !canConnect(scene.catalog, source, node);
  if (!unreachable) return drawNodeBody(ctx, scene, node);
  ctx.save();
  ctx.globalAlpha = 0.35;
  drawNodeBody(ctx, scene, node);
  ctx.restore();
}

function drawNodeBody(ctx, scene, node) {
  const gauge = scene.gauges[node.id];
  const dead = gauge?.up === false;
  const selected = selectedIds(scene.selection).includes(node.id);
  const target = scene.connecting?.target === node.id;
  const [left, top] = [node.x - HALF_WIDTH, node.y - HALF_HEIGHT];

  ctx.save();
  ctx.shadowColor = THEME.nodeShadow;
  ctx.shadowBlur = selected ? 14 : 8;
  ctx.shadowOffsetY = 2;
  ctx.fillStyle = dead ? THEME.deadFill : THEME.nodeFill;
  roundRect(ctx, left, top, NODE_WIDTH, NODE_HEIGHT, 10);
  ctx.fill();
  ctx.restore();

  if (selected || target) {
    ctx.strokeStyle = THEME.accentSoft;
    ctx.lineWidth = 6;
    roundRect(ctx, left - 1, top - 1, NODE_WIDTH + 2, NODE_HEIGHT + 2, 11);
    ctx.stroke();
  }
  ctx.save();
  ctx.strokeStyle = dead ? THEME.danger : selected || target ? THEME.accent : THEME.nodeBorder;
  ctx.lineWidth = (dead || selected || target ? 1.8 : 1) * THEME.line;
  if (dead) ctx.setLineDash([5, 4]);
  roundRect(ctx, left, top, NODE_WIDTH, NODE_HEIGHT, 10);
  ctx.stroke();
  ctx.restore();

  drawNodeIcon(ctx, node, dead, left, top);
  drawNodeText(ctx, scene, node, gauge, dead, left);
  drawPool(ctx, poolPips(node, gauge), left, top + NODE_HEIGHT + POOL_GAP);
  if (gauge && !dead) drawUtilBar(ctx, gauge.util ?? 0, left, top);
  if (dead) drawBadge(ctx, t("DOWN"), left + NODE_WIDTH - 8, top, THEME.danger);
  else if (gauge?.errors_rps > 0)
    drawBadge(ctx, errorBadge(gauge, scene.catalog), left + NODE_WIDTH - 8, top, THEME.danger);
  const role = gauge?.role ?? node.props?.role;
  if (node.kind === "database" && role)
    drawBadge(ctx, t(role), left + 14, top, dead ? THEME.deadText : kindColor(node.kind), true);
  if (scene.findings.has(node.id)) drawWarning(ctx, left, top);

  if (scene.editable && (selected || scene.hover === node.id || scene.connecting)) drawHandle(ctx, node);
}

function drawNodeIcon(ctx, node, dead, left, top) {
  const color = dead ? THEME.deadText : kindColor(node.kind);
  const [x, y] = [left + 9, top + 14];
  ctx.fillStyle = dead ? THEME.track : `${color}1a`;
  roundRect(ctx, x, y, 30, 30, 8);
  ctx.fill();
  drawIcon(ctx, node.kind, x + 6, y + 6, 18, color);
  if (dead) {
    ctx.strokeStyle = THEME.danger;
    ctx.lineWidth = 2.4;
    ctx.lineCap = "round";
    ctx.beginPath();
    ctx.moveTo(x + 5, y + 5);
    ctx.lineTo(x + 25, y + 25);
    ctx.moveTo(x + 25, y + 5);
    ctx.lineTo(x + 5, y + 25);
    ctx.stroke();
  }
}

function drawNodeText(ctx, scene, node, gauge, dead, left) {
  const x = left + 46;
  const maxWidth = NODE_WIDTH - 52;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  ctx.fillStyle = dead ? THEME.deadText : THEME.text;
  ctx.font = `600 12.5px ${THEME.font}`;
  ctx.fillText(fitText(ctx, nodeName(node), maxWidth), x, node.y - 8);
  ctx.font = `400 10.5px ${THEME.font}`;
  ctx.fillStyle = dead ? THEME.danger : THEME.muted;
  ctx.fillText(fitText(ctx, detailLine(scene, node, gauge, dead), maxWidth), x, node.y + 8);
}

function detailLine(scene, node, gauge, dead) {
  if (dead) return t("not serving");
  if (!gauge) return scene.catalog.kinds?.[node.kind]?.label ?? node.kind;
  const queue = gauge.queue ? ` · q ${formatCompact(gauge.queue)}` : "";
  return `${formatCompact(gauge.rps)} rps${queue}`;
}

function drawUtilBar(ctx, util, left, top) {
  const [x, y, width] = [left + 46, top + NODE_HEIGHT - 10, NODE_WIDTH - 56];
  const share = Math.max(0, Math.min(1, util));
  ctx.fillStyle = THEME.track;
  roundRect(ctx, x, y, width, 4, 2);
  ctx.fill();
  if (share > 0) {
    ctx.fillStyle = utilColor(share);
    roundRect(ctx, x, y, Math.max(4, width * share), 4, 2);
    ctx.fill();
  }
}

// A web server's instances: one pip per instance in rows under the node, each filled from the
// bottom by its utilisation (green, amber, red) while it runs; a booting one is a dashed outline
// in the accent colour, a draining one is grey and hatched (it finishes what it holds), a dead one
// is an empty pip with a red cross, and before any frame the document's count is drawn as outlines.
const POOL_GAP = 5;
const POOL_PER_ROW = 25;
export const PIP_HEIGHT = 11;

function drawPool(ctx, pips, left, top) {
  if (!pips.length) return;
  const perRow = Math.min(POOL_PER_ROW, pips.length);
  const gap = perRow > 12 ? 1.5 : 3;
  const width = Math.min(12, (NODE_WIDTH - 8 + gap) / perRow - gap);
  ctx.save();
  pips.forEach((pip, index) => {
    const x = left + 4 + (index % perRow) * (width + gap);
    const y = top + Math.floor(index / perRow) * (PIP_HEIGHT + 3);
    drawPip(ctx, pip, x, y, width, PIP_HEIGHT);
  });
  ctx.restore();
}

/**
 * Draw one instance pip (also the legend's swatches).
 * @param {CanvasRenderingContext2D} ctx
 * @param {import("./pool.js").Pip} pip
 * @param {number} x
 * @param {number} y
 * @param {number} width
 * @param {number} height
 */
export function drawPip(ctx, pip, x, y, width, height) {
  const radius = Math.min(2, width / 2);
  ctx.setLineDash([]);
  ctx.lineWidth = 1;
  ctx.fillStyle = pip.state === "booting" ? THEME.accentSoft : THEME.track;
  roundRect(ctx, x, y, width, height, radius);
  ctx.fill();
  if (pip.state === "running" || pip.state === "draining") {
    const filled = Math.max(0, Math.min(1, pip.util)) * height;
    ctx.fillStyle = pip.state === "running" ? utilColor(pip.util) : THEME.muted;
    if (filled > 0) ctx.fillRect(x, y + height - filled, width, filled);
  }
  if (pip.state === "draining") {
    ctx.save();
    roundRect(ctx, x, y, width, height, radius);
    ctx.clip();
    ctx.strokeStyle = THEME.muted;
    ctx.beginPath();
    for (let offset = -height; offset < width; offset += 4) {
      ctx.moveTo(x + offset, y + height);
      ctx.lineTo(x + offset + height, y);
    }
    ctx.stroke();
    ctx.restore();
  }
  if (pip.state === "dead") {
    ctx.strokeStyle = THEME.danger;
    ctx.lineWidth = 1.4;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + width, y + height);
    ctx.moveTo(x + width, y);
    ctx.lineTo(x, y + height);
    ctx.stroke();
  }
  const outline = { booting: THEME.accent, dead: THEME.danger, draining: THEME.muted }[pip.state] ?? THEME.nodeBorder;
  ctx.strokeStyle = outline;
  ctx.lineWidth = 1;
  if (pip.state === "booting") ctx.setLineDash([2, 2]);
  roundRect(ctx, x + 0.5, y + 0.5, width - 1, height - 1, radius);
  ctx.stroke();
  ctx.setLineDash([]);
}

/** "520 err/s · Refused: queue full": the rate and its main cause, never a bare count. */
function errorBadge(gauge, catalog) {
  const rate = `${formatCompact(gauge.errors_rps)} err/s`;
  const causes = Object.entries(gauge.errors_by_cause ?? {});
  if (!causes.length) return rate;
  const [main] = causes.reduce((best, entry) => (entry[1] > best[1] ? entry : best));
  const label = catalog?.failure_causes?.find(({ name }) => name === main)?.label ?? main;
  return `${rate} · ${label}`;
}

function drawBadge(ctx, text, edge, top, color, fromLeft = false) {
  ctx.font = `700 9px ${THEME.font}`;
  const width = ctx.measureText(text).width + 10;
  const x = fromLeft ? edge : edge - width;
  ctx.fillStyle = color;
  roundRect(ctx, x, top - 7, width, 14, 7);
  ctx.fill();
  ctx.fillStyle = "#ffffff";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(text, x + width / 2, top + 0.5);
}

// A design finding (such as a single point of failure): an amber "!" on the node's corner.
function drawWarning(ctx, left, top) {
  ctx.beginPath();
  ctx.arc(left + 2, top + 2, 8, 0, Math.PI * 2);
  ctx.fillStyle = THEME.warn;
  ctx.fill();
  ctx.fillStyle = "#ffffff";
  ctx.font = `800 11px ${THEME.font}`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText("!", left + 2, top + 2.5);
}

function drawHandle(ctx, node) {
  const point = handlePoint(node);
  ctx.beginPath();
  ctx.arc(point.x, point.y, HANDLE_RADIUS, 0, Math.PI * 2);
  ctx.fillStyle = THEME.nodeFill;
  ctx.fill();
  ctx.lineWidth = 1.8;
  ctx.strokeStyle = THEME.accent;
  ctx.stroke();
}

function drawGhost(ctx, ghost) {
  const [left, top] = [ghost.x - HALF_WIDTH, ghost.y - HALF_HEIGHT];
  ctx.save();
  ctx.globalAlpha = 0.75;
  ctx.fillStyle = THEME.nodeFill;
  roundRect(ctx, left, top, NODE_WIDTH, NODE_HEIGHT, 10);
  ctx.fill();
  ctx.setLineDash([6, 4]);
  ctx.strokeStyle = THEME.accent;
  ctx.lineWidth = 1.5;
  ctx.stroke();
  drawIcon(ctx, ghost.kind, left + 15, top + 20, 18, kindColor(ghost.kind));
  ctx.restore();
}

function roundRect(ctx, x, y, width, height, radius) {
  ctx.beginPath();
  ctx.roundRect(x, y, width, height, radius);
}

function fitText(ctx, text, maxWidth) {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let end = text.length;
  while (end > 1 && ctx.measureText(`${text.slice(0, end)}…`).width > maxWidth) end -= 1;
  return `${text.slice(0, end)}…`;
}
