/**
 * The editor page: reads what the server rendered, builds the parts and wires them together.
 * Each part lives in its own module; this one only connects them.
 */

import { t } from "./core/i18n.js";
import { createApi } from "./sharing/api.js";
import { createBus } from "./core/bus.js";
import { createCharts } from "./playback/charts.js";
import { createConnectionBanner } from "./playback/connection.js";
import { createDocumentStore, findNode, normalizeDocument } from "./document/document.js";
import { targetLabels } from "./document/edges.js";
import { createEditor, createUiState } from "./editor/editor.js";
import { createFiles } from "./document/files.js";
import { choiceLabels } from "./document/fields.js";
import { createDataCounters } from "./playback/datacounters.js";
import { createFindings } from "./playback/findings.js";
import { createGlobalActions } from "./playback/globalactions.js";
import { curveLength, edgeCurve, nodeBox } from "./canvas/geometry.js";
import { createHistory } from "./document/history.js";
import { createShortcuts } from "./editor/keys.js";
import { createLegend } from "./canvas/legend.js";
import { createLook } from "./canvas/look.js";
import { showGallery } from "./sharing/gallery.js";
import { createLessonMode, inLanguage, showLessons } from "./lessons/lessons.js";
import { createLiveClass, liveClassUrl, takeTeacherToken } from "./classes/live.js";
import { createLoop } from "./core/loop.js";
import { createContextMenu } from "./editor/menu.js";
import { createNodeCard } from "./playback/nodecard.js";
import { createNotifier } from "./core/notify.js";
import { createPalette } from "./editor/palette.js";
import { createPanel } from "./editor/panel.js";
import { createParticles } from "./canvas/particles.js";
import { createProblems } from "./document/problems.js";
import { render } from "./canvas/render.js";
import { createRevisions } from "./sharing/revisions.js";
import { canEdit, createSaving, tokenFromHash } from "./sharing/saving.js";
import { createShareDialog } from "./sharing/share.js";
import { createSimulation } from "./playback/sim.js";
import { createSocket, simulationUrl } from "./playback/socket.js";
import { createStats } from "./playback/stats.js";
import {
  handOver,
  readEditToken,
  readWorkingCopy,
  removeStaleWorkingCopies,
  workingCopyKey,
  writeEditToken,
} from "./core/storage.js";
import { createSurface } from "./canvas/surface.js";
import { createView, fitView } from "./canvas/view.js";

const $ = (selector) => document.querySelector(selector);
const readJson = (id) => JSON.parse(document.getElementById(id).textContent);

/** What the server told the page about itself (data attributes of #app). */
function readPage() {
  const data = $("#app").dataset;
  const page = {
    kind: data.revision ? "revision" : ({ saved: "saved", live: "live", lesson: "lesson" }[data.page] ?? "new"),
    slug: data.slug ?? "",
    version: data.version ? Number(data.version) : null,
    token: "",
    restoreToken: "",
    forkedFrom: data.forkedFrom ?? "",
    liveCode: data.liveCode ?? "",
  };
  if (page.kind === "saved" || page.kind === "revision") {
    const fromHash = tokenFromHash(location.hash);
    if (fromHash) writeEditToken(page.slug, fromHash);
    const token = fromHash || readEditToken(page.slug);
    // An old version is only looked at; its edit link may restore it, not edit it in place.
    if (page.kind === "revision") page.restoreToken = token;
    else {
      page.token = token;
      removeStaleWorkingCopies(page.slug, workingCopyKey(page.slug, page.version));
    }
  }
  return page;
}

function main() {
  const catalog = readJson("catalog");
  const savedDocument = normalizeDocument(readJson("topology-document"));
  const page = readPage();
  const editable = () => canEdit(page);
  const restored = editable() ? readWorkingCopy(workingCopyKey(page.slug, page.version)) : null;

  const bus = createBus();
  const store = createDocumentStore({ document: restored ?? savedDocument, catalog, bus });
  const history = createHistory({ store, bus });
  const ui = createUiState();
  const notifier = createNotifier({ container: $("#toasts") });
  const particles = createParticles({ capacity: 2000 });
  const canvas = $("#canvas");
  let editor = null;

  const problems = createProblems({
    root: $("#problems"),
    doc: () => store.doc,
    onNode: (id) => editor.select({ type: "node", id }),
  });
  const stats = createStats({
    table: $("#node-stats"),
    totals: {
      rps: $("#total-rps"),
      errors: $("#total-errors"),
      p50: $("#total-p50"),
      p95: $("#total-p95"),
      p99: $("#total-p99"),
    },
    clock: $("#sim-time"),
    pace: $("#sim-pace"),
    log: $("#event-log"),
    onSelect: (id) => editor.select({ type: "node", id }),
    choiceLabels: choiceLabels(catalog),
  });
  const socket = createSocket({
    url: () => (page.kind === "live" ? liveClassUrl(page.liveCode) : simulationUrl(page.slug)),
    bus,
  });
  createConnectionBanner({ container: $(".stage"), bus, notifier, retryNow: socket.retryNow });
  createLegend({ container: $(".stage"), bus });
  createNodeCard({ canvas, container: $(".stage"), bus, store, ui });
  const sim = createSimulation({
    socket,
    bus,
    store,
    stats,
    particles,
    notifier,
    problems,
    controls: {
      play: $("#play"),
      pause: $("#pause"),
      step: $("#step"),
      reset: $("#reset"),
      speed: $("#speed"),
      status: $("#conn-status"),
    },
    catalog,
    live: page.kind === "live",
  });
  const liveClass = page.kind === "live" ? wireLiveClass({ page, bus, socket, store, notifier }) : null;
  // Students watch a live class; everyone else may break the simulation with live actions.
  const canAct = () => !liveClass || liveClass.role === "teacher";
  createGlobalActions({ root: $("#global-actions"), catalog, onAction: sim.act });
  let panel = null;
  const menu = createContextMenu({
    root: $("#context-menu"),
    catalog,
    editable,
    canAct,
    situation: () => ({ doc: store.doc, gauges: sim.gauges }),
    onAction: sim.act,
    onConfigure: (action) => panel.focusAction(action),
    onDelete: (id) => {
      store.deleteNode(id);
      editor.select(null);
    },
  });
  editor = createEditor({
    canvas,
    store,
    ui,
    bus,
    editable,
    catalog,
    onContextMenu: menu.open,
    onRefusedEdge: (from, to) => notifier.info(refusedEdgeText(catalog, from, to), { timeout: 8000 }),
  });
  createPalette({ list: $("#palette-list"), catalog, editor, bus });
  panel = createPanel({
    root: $("#inspector"),
    catalog,
    store,
    bus,
    editable,
    onAction: sim.act,
    onDelete: () => editor.deleteSelection(),
    canAct,
  });
  const api = createApi();
  const share = createShareDialog({
    dialog: $("#share-dialog"),
    onSaveAbout: (description, published) => saving.saveAbout(description, published),
  });
  wireHeader({ store, page, bus, editable, panel });
  const saving = createSaving({
    api,
    store,
    page,
    savedDocument,
    bus,
    notifier,
    problems,
    share,
    conflictDialog: $("#conflict-dialog"),
    buttons: { save: $("#save"), share: $("#share"), fork: $("#fork") },
  });

  if (page.kind !== "live") {
    createRevisions({ dialog: $("#history-dialog"), open: $("#history-open"), api, page, saving, bus });
    wireGoLive({ button: $("#go-live"), api, store, page, saving, notifier });
  }
  if (page.kind === "revision") wireRevisionBanner({ page, saving });
  if (page.kind === "new") {
    showLessons({ section: $("#lessons"), list: $("#lesson-list") });
    showGallery({ section: $("#gallery"), list: $("#gallery-list") });
  }
  if (page.kind === "lesson") {
    wireLesson({ bus, sim, api, notifier });
    // A lesson is read before it is touched: show its whole drawing, whatever the screen.
    requestAnimationFrame(() => editor.fit());
  }

  const findings = createFindings({
    list: $("#findings"),
    count: $("#findings-count"),
    bus,
    onNode: (id) => editor.select({ type: "node", id }),
  });
  createFiles({
    store,
    canvas,
    problems,
    onImported: sim.revealProblems,
    controls: { exportJson: $("#export-json"), importJson: $("#import-json"), file: $("#import-file"), exportPng: $("#export-png") },
  });
  const charts = createCharts({ root: $("#charts"), bus });
  createDataCounters({ root: $("#data-counters"), bus });
  createShortcuts({
    history,
    editable,
    togglePlay: sim.toggle,
    zoomBy: editor.zoomBy,
    fit: editor.fit,
    actualSize: editor.actualSize,
    help: $("#help-dialog"),
  });
  wireHistoryButtons(history, bus);
  $("#help-open").addEventListener("click", () => $("#help-dialog").showModal());
  $("#language").addEventListener("submit", saving.leaveQuietly);
  createLook({
    theme: $("#theme-toggle"),
    presenter: $("#presenter-toggle"),
    onChange: () => {
      charts.restyle();
      bus.emit("ui:redraw");
    },
  });

  wireCanvas({ canvas, store, ui, bus, sim, particles, catalog, editor, editable, findings });
  bus.on("sim:gauges", (gauges) => panel.setGauges(gauges));
  bus.on("doc:change", (change) => {
    if (["structure", "replace", "label"].includes(change.kind)) stats.setNodes(store.doc.nodes);
    if (dangling(store.doc, ui.selection)) editor.select(null);
  });
  stats.setNodes(store.doc.nodes);
  socket.open();

  if (restored && saving.isDirty()) {
    notifier.info(t("Your unsaved changes were restored."), {
      timeout: 8000,
      action: { label: t("Discard"), run: () => store.replace(savedDocument) },
    });
  }
  const forkedFrom = handOver("forked");
  if (forkedFrom && editable()) saving.openShare(t("This is your own copy of {name}, saved with its own links.", { name: forkedFrom }));
}

/** The live-class parts of a live page: the join code, the audience, narration and the teacher's controls. */
function wireLiveClass({ page, bus, socket, store, notifier }) {
  const live = createLiveClass({
    code: page.liveCode,
    teacherToken: takeTeacherToken(page.liveCode),
    bus,
    socket,
    store,
    notifier,
    elements: {
      audience: $("#live-audience"),
      end: $("#live-end"),
      code: $("#live-code"),
      joinDialog: $("#join-dialog"),
      narration: $("#narration"),
      narrateForm: $("#narrate-form"),
      narrateText: $("#narrate-text"),
      role: $("#live-role"),
      controls: ["#play", "#pause", "#step", "#reset", "#speed"].map($),
    },
  });
  document.body.classList.add("is-live");
  return live;
}

/** Lesson mode: the narration column beside the running preset. */
function wireLesson({ bus, sim, api, notifier }) {
  const lesson = readJson("lesson-data");
  document.body.classList.add("is-lesson");
  const root = $("#lesson");
  const missing = root.querySelector(".lesson-missing-text");
  if (missing) missing.textContent = inLanguage(lesson.missing);
  root.querySelector(".lesson-try-list").replaceChildren(
    ...(lesson.try ?? []).map((item) => {
      const entry = document.createElement("li");
      entry.textContent = inLanguage(item);
      return entry;
    }),
  );
  const speed = $("#speed");
  if (lesson.speed && speed.querySelector(`option[value="${lesson.speed}"]`)) speed.value = String(lesson.speed);
  return createLessonMode({ lesson, root, bus, sim, api, notifier });
}

/** "Go live": start a class of what is on the canvas and become its teacher. */
function wireGoLive({ button, api, store, page, saving, notifier }) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const started = await api.goLive(store.doc, page.slug);
      // The working copy keeps unsaved edits, so leaving for the class page asks nothing.
      saving.leaveQuietly();
      location.assign(started.teacher_url);
    } catch (error) {
      notifier.error(error.problems?.length ? t("Fix the topology's problems before going live.") : error.message);
      button.disabled = false;
    }
  });
}

/** On an old version: restore it with the edit link of this tab, if there is one. */
function wireRevisionBanner({ page, saving }) {
  const restore = $("#revision-restore");
  const number = Number($("#app").dataset.revision);
  restore.hidden = !saving.canRestore();
  restore.addEventListener("click", () => saving.restore(number));
}

/** Why a wire was not drawn, with the kinds its source can reach. */
function refusedEdgeText(catalog, from, to) {
  const label = (kind) => catalog.kinds?.[kind]?.label ?? kind;
  const reachable = targetLabels(catalog, from.kind) ?? [];
  const values = { from: label(from.kind), to: label(to.kind), targets: reachable.join(", ") };
  return reachable.length
    ? t("{from} cannot send requests to {to}. It can connect to: {targets}.", values)
    : t("{from} cannot send requests to {to}. It sends requests to nothing.", values);
}

/** Whether a selection points at a node or edge that no longer exists. */
function dangling(doc, selection) {
  if (selection?.type === "node") return !findNode(doc, selection.id);
  if (selection?.type === "nodes") return selection.ids.some((id) => !findNode(doc, id));
  if (selection?.type === "edge") return !doc.edges.some((e) => e.from === selection.from && e.to === selection.to);
  return false;
}

/** The Undo and Redo buttons, enabled when there is something to undo or redo. */
function wireHistoryButtons(history, bus) {
  const [undo, redo] = [$("#undo"), $("#redo")];
  undo.addEventListener("click", history.undo);
  redo.addEventListener("click", history.redo);
  bus.on("history:change", ({ canUndo, canRedo }) => {
    undo.disabled = !canUndo;
    redo.disabled = !canRedo;
  });
}

/** Title, mode (editing or read-only), the "unsaved" note and the browser tab's title. */
function wireHeader({ store, page, bus, editable, panel }) {
  const title = $("#title");
  const saveState = $("#save-state");
  title.value = store.doc.title;
  title.addEventListener("input", () => store.setTitle(title.value));
  title.addEventListener("keydown", (event) => {
    if (event.key === "Enter") title.blur();
  });

  function applyMode() {
    const canWrite = editable();
    document.body.classList.toggle("is-read-only", !canWrite);
    title.readOnly = !canWrite;
    $("#save").hidden = !canWrite;
    $("#fork").hidden = page.kind !== "saved";
    $("#palette").hidden = !canWrite;
    $("#read-only-note").hidden = canWrite || page.kind === "live";
    const origin = $("#forked-from");
    if (origin) origin.hidden = !page.forkedFrom;
    panel.refresh();
    showTitle();
  }

  function showTitle() {
    document.title = `${store.doc.title.trim() || t("Untitled topology")} · Scale Playground`;
  }

  function showSaveState(dirty) {
    saveState.textContent = dirty ? t("Unsaved changes") : page.kind === "saved" ? t("Saved · v{version}", page) : "";
    saveState.dataset.dirty = String(dirty);
  }

  bus.on("page:changed", applyMode);
  bus.on("page:dirty", showSaveState);
  // A save that changed only the description or the history note leaves "dirty" as it was.
  bus.on("page:changed", () => showSaveState(saveState.dataset.dirty === "true"));
  bus.on("doc:change", (change) => {
    if (change.kind === "replace") title.value = store.doc.title;
    if (change.kind === "title" || change.kind === "replace") showTitle();
  });
  applyMode();
}

/** The drawing surface, the animation loop, the zoom buttons and the empty-canvas hint. */
function wireCanvas({ canvas, store, ui, bus, sim, particles, catalog, editor, editable, findings }) {
  let needsDraw = true;
  let lengths = new Float32Array(0);
  let lengthsStale = true;
  const surface = createSurface({ canvas, onResize: () => (needsDraw = true) });
  const hint = $("#canvas-hint");
  const zoomLabel = $("#zoom-reset");

  function edgeLengths() {
    if (!lengthsStale) return lengths;
    const byId = new Map(store.doc.nodes.map((node) => [node.id, node]));
    lengths = Float32Array.from(store.doc.edges, (edge) => {
      const [from, to] = [byId.get(edge.from), byId.get(edge.to)];
      return from && to ? curveLength(edgeCurve(from, to)) : 1;
    });
    lengthsStale = false;
    return lengths;
  }

  function update(dt) {
    if (!sim.animating(dt)) return;
    particles.update(dt, edgeLengths(), sim.pace);
    if (particles.active) needsDraw = true;
  }

  function draw() {
    if (!needsDraw) return;
    needsDraw = false;
    const scene = {
      doc: store.doc,
      catalog,
      gauges: sim.gauges,
      edgeRates: sim.edgeRates,
      particles,
      selection: ui.selection,
      hover: ui.hover,
      connecting: ui.connecting,
      ghost: ui.ghost,
      band: ui.band,
      findings: findings.byNode,
      editable: editable(),
    };
    render(surface.ctx, scene, { ...ui.view, width: surface.width, height: surface.height, dpr: surface.dpr });
    zoomLabel.textContent = `${Math.round(ui.view.zoom * 100)}%`;
  }

  function showHint() {
    hint.hidden = store.doc.nodes.length > 0 || !editable();
  }

  bus.on("ui:redraw", () => (needsDraw = true));
  bus.on("page:changed", showHint);
  bus.on("doc:change", (change) => {
    lengthsStale = true;
    needsDraw = true;
    if (change.kind === "structure" || change.kind === "replace") showHint();
  });
  $("#zoom-in").addEventListener("click", () => editor.zoomBy(1.2));
  $("#zoom-out").addEventListener("click", () => editor.zoomBy(1 / 1.2));
  zoomLabel.addEventListener("click", () => editor.setView(createView()));
  $("#zoom-fit").addEventListener("click", () =>
    editor.setView(fitView(store.doc.nodes.map(nodeBox), surface.width, surface.height)),
  );
  showHint();
  createLoop({ update, draw }).start();
}

main();
