/**
 * The whole drawing as a picture, whatever part of it the canvas shows: PNG at twice its size,
 * or SVG (vector, through svgcanvas, a Canvas 2D context that writes SVG elements). Both are drawn
 * by the same render() as the canvas, with the same gauges and flows at the moment of export.
 */

import { nodeBox } from "../document/geometry.js";
import { render } from "./render.js";

const MARGIN = 40;
const PNG_SCALE = 2;

/**
 * The size of the drawing and the viewport that shows all of it at 1:1 with a margin.
 * @param {{doc: {nodes: object[]}}} scene
 */
export function wholeDrawing(scene) {
  const boxes = scene.doc.nodes.map(nodeBox);
  if (!boxes.length) return { width: 2 * MARGIN, height: 2 * MARGIN, view: { x: MARGIN, y: MARGIN, zoom: 1 } };
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const width = Math.ceil(Math.max(...boxes.map((b) => b.x + b.width)) - left + 2 * MARGIN);
  const height = Math.ceil(Math.max(...boxes.map((b) => b.y + b.height)) - top + 2 * MARGIN);
  return { width, height, view: { x: MARGIN - left, y: MARGIN - top, zoom: 1 } };
}

/**
 * @param {object} scene  as the stage draws it (stage.scene())
 * @returns {Promise<Blob>}
 */
export function drawingPng(scene) {
  const { width, height, view } = wholeDrawing(scene);
  const canvas = document.createElement("canvas");
  canvas.width = width * PNG_SCALE;
  canvas.height = height * PNG_SCALE;
  render(canvas.getContext("2d"), scene, { ...view, width, height, dpr: PNG_SCALE });
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

/**
 * @param {object} scene
 * @returns {Promise<string>}  the SVG document
 */
export async function drawingSvg(scene) {
  const { Context } = await import("../vendor/svgcanvas/svgcanvas.esm.js");
  const { width, height, view } = wholeDrawing(scene);
  // Its elements live in a document of their own: style attributes written into the page's
  // document would break the page's Content-Security-Policy (style-src 'self'). Text is measured
  // on a canvas of the page, as the canvas measures it.
  const ctx = new Context({
    width,
    height,
    document: document.implementation.createDocument("http://www.w3.org/2000/svg", "svg", null),
    ctx: document.createElement("canvas").getContext("2d"),
  });
  ctx.strokeSvgPath = (d) => strokeSvgPath(ctx, d);
  ctx.__applyText = (text, x, y, action) => applyText(ctx, text, x, y, action);
  render(ctx, scene, { ...view, width, height, dpr: 1 });
  return ctx.getSerializedSvg(true);
}

// An icon's path as an SVG <path>, stroked as the canvas strokes it, in the context's transform.
function strokeSvgPath(ctx, d) {
  const path = ctx.__createElement("path", {
    d,
    fill: "none",
    stroke: ctx.strokeStyle,
    "stroke-width": ctx.lineWidth,
    "stroke-linecap": ctx.lineCap,
    "stroke-linejoin": ctx.lineJoin,
  });
  ctx.__applyTransformation(path);
  ctx.__closestGroupOrSvg().appendChild(path);
}

const TEXT_ANCHOR = { left: "start", right: "end", center: "middle", start: "start", end: "end" };
const BASELINE = { alphabetic: "alphabetic", hanging: "hanging", top: "text-before-edge", bottom: "text-after-edge", middle: "central" };
const fontProbe = document.createElement("span");

// svgcanvas's own text drawing reads the font through a style attribute on an element of the
// page, which the page's Content-Security-Policy refuses (and logs); the CSSOM parses it as well.
function applyText(ctx, text, x, y, action) {
  fontProbe.style.font = ctx.font;
  const element = ctx.__createElement(
    "text",
    {
      "font-family": fontProbe.style.fontFamily,
      "font-size": fontProbe.style.fontSize,
      "font-style": fontProbe.style.fontStyle,
      "font-weight": fontProbe.style.fontWeight,
      x,
      y,
      "text-anchor": TEXT_ANCHOR[ctx.textAlign] ?? "start",
      "dominant-baseline": BASELINE[ctx.textBaseline] ?? "alphabetic",
    },
    true,
  );
  element.appendChild(ctx.__document.createTextNode(text));
  const parent = ctx.__closestGroupOrSvg();
  ctx.__currentElement = element;
  ctx.__applyTransformation(element);
  ctx.__applyStyleToCurrentElement(action);
  parent.appendChild(element);
}
