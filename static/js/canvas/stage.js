/**
 * The stage: the drawing surface, the animation loop (update the particles, draw the scene when
 * something changed), the zoom buttons and the empty-canvas hint.
 */

import { $ } from "../core/dom.js";
import { createLoop } from "../core/loop.js";
import { curveLength, edgeCurve, edgeCurves, nodeBox } from "../document/geometry.js";
import { render } from "./render.js";
import { createSurface } from "./surface.js";
import { createView, fitView, toWorld } from "./view.js";

/**
 * The length of every edge of the document in world units, measured again after an edit.
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} store
 */
function createEdgeLengths(store) {
  let lengths = new Float32Array(0);
  let stale = true;
  return {
    invalidate: () => (stale = true),
    get() {
      if (!stale) return lengths;
      const byId = new Map(store.doc.nodes.map((node) => [node.id, node]));
      lengths = Float32Array.from(store.doc.edges, (edge) => {
        const [from, to] = [byId.get(edge.from), byId.get(edge.to)];
        return from && to ? curveLength(edgeCurve(from, to)) : 1;
      });
      stale = false;
      return lengths;
    },
  };
}

/**
 * @param {object} options
 * @param {HTMLCanvasElement} options.canvas
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {import("../editor/editor.js").UiState} options.ui
 * @param {import("../core/bus.js").Bus} options.bus  listens to "ui:redraw", "page:changed" and "doc:change"
 * @param {ReturnType<import("../playback/sim.js").createSimulation>} options.sim
 * @param {ReturnType<import("./particles.js").createParticles>} options.particles
 * @param {object} options.catalog
 * @param {ReturnType<import("../editor/editor.js").createEditor>} options.editor
 * @param {() => boolean} options.editable
 * @param {{byNode: Map<string, object[]>}} options.findings
 * @param {ReturnType<import("./storyparticles.js").createStoryParticles>} options.stories  the sampled requests' dots
 * @param {(id: number) => void} options.onStory  a person clicked a sampled request's dot
 */
export function createStage({ canvas, store, ui, bus, sim, particles, catalog, editor, editable, findings, stories, onStory }) {
  let needsDraw = true;
  const lengths = createEdgeLengths(store);
  const surface = createSurface({ canvas, onResize: () => (needsDraw = true) });
  const hint = $("#canvas-hint");
  const zoomLabel = $("#zoom-reset");

  function update(dt) {
    if (!sim.animating(dt)) return;
    particles.update(dt, lengths.get(), sim.pace);
    stories.update(dt);
    if (particles.active || stories.active) needsDraw = true;
  }

  function scene() {
    return {
      doc: store.doc,
      catalog,
      gauges: sim.gauges,
      edgeRates: sim.edgeRates,
      particles,
      stories,
      selection: ui.selection,
      hover: ui.hover,
      connecting: ui.connecting,
      ghost: ui.ghost,
      band: ui.band,
      findings: findings.byNode,
      editable: editable(),
    };
  }

  function draw() {
    if (!needsDraw) return;
    needsDraw = false;
    render(surface.ctx, scene(), { ...ui.view, width: surface.width, height: surface.height, dpr: surface.dpr });
    zoomLabel.textContent = `${Math.round(ui.view.zoom * 100)}%`;
  }

  function showHint() {
    hint.hidden = store.doc.nodes.length > 0 || !editable();
  }

  bus.on("ui:redraw", () => (needsDraw = true));
  bus.on("page:changed", showHint);
  bus.on("doc:change", (change) => {
    lengths.invalidate();
    needsDraw = true;
    if (change.kind === "structure" || change.kind === "replace") showHint();
  });
  $("#zoom-in").addEventListener("click", () => editor.zoomBy(1.2));
  $("#zoom-out").addEventListener("click", () => editor.zoomBy(1 / 1.2));
  zoomLabel.addEventListener("click", () => editor.setView(createView()));
  $("#zoom-fit").addEventListener("click", () =>
    editor.setView(fitView(store.doc.nodes.map(nodeBox), surface.width, surface.height)),
  );
  // A dot is small: a click within a few screen pixels of one opens its story.
  canvas.addEventListener("click", (event) => {
    if (!stories.active) return;
    const { x, y } = toWorld(ui.view, event.offsetX, event.offsetY);
    const id = stories.pick(x, y, edgeCurves(store.doc), 9 / ui.view.zoom);
    if (id != null) onStory(id);
  });
  showHint();
  createLoop({ update, draw }).start();
  return {
    /** What a picture of the whole drawing shows (canvas/drawing.js): no selection, hover or handles. */
    picture: () => ({ ...scene(), selection: null, hover: null, connecting: null, ghost: null, band: null, editable: false }),
  };
}
