/**
 * The editor page: reads what the server rendered, builds the parts and wires them together.
 * Each part lives in its own module, in a folder by concern (core, document, editor, canvas,
 * playback, sharing, lessons, classes); this one only connects them.
 */

import { createBus } from "./core/bus.js";
import { $, readJson } from "./core/dom.js";
import { t } from "./core/i18n.js";
import { createNotifier } from "./core/notify.js";
import { alertRulesKey, handOver, readWorkingCopy, workingCopyKey } from "./core/storage.js";
import { createDocumentStore, normalizeDocument } from "./document/document.js";
import { refusedEdgeText } from "./document/edges.js";
import { choiceLabels } from "./document/fields.js";
import { createFiles, download, fileName } from "./document/files.js";
import { createHistory } from "./document/history.js";
import { createProblems } from "./document/problems.js";
import { createEditor, createUiState } from "./editor/editor.js";
import { createHeader, createUndoButtons } from "./editor/header.js";
import { createShortcuts } from "./editor/keys.js";
import { createContextMenu } from "./editor/menu.js";
import { createNodeToolbar } from "./editor/nodetoolbar.js";
import { createPalette } from "./editor/palette.js";
import { createPanel } from "./editor/panel.js";
import { dangling } from "./editor/selection.js";
import { createLegend } from "./canvas/legend.js";
import { createLook } from "./canvas/look.js";
import { createParticles } from "./canvas/particles.js";
import { createStoryParticles } from "./canvas/storyparticles.js";
import { drawingPng, drawingSvg } from "./canvas/drawing.js";
import { createStage } from "./canvas/stage.js";
import { createCharts } from "./playback/charts.js";
import { createWarmingNotice } from "./playback/warming.js";
import { createSeedRuns } from "./playback/seeds.js";
import { createConnectionBanner } from "./playback/connection.js";
import { createDataCounters } from "./playback/datacounters.js";
import { isLive } from "./playback/docsync.js";
import { createFindings } from "./playback/findings.js";
import { createGlobalActions } from "./playback/globalactions.js";
import { createExemplars } from "./playback/exemplars.js";
import { createNodeCard } from "./playback/nodecard.js";
import { causeLabels } from "./playback/nodefacts.js";
import { createStories } from "./playback/stories.js";
import { createWaterfall } from "./playback/waterfall.js";
import { createSimulation } from "./playback/sim.js";
import { createSocket, simulationUrl } from "./playback/socket.js";
import { createStats } from "./playback/stats.js";
import { createApi } from "./sharing/api.js";
import { showGallery } from "./sharing/gallery.js";
import { readPage } from "./sharing/page.js";
import { createRecording } from "./sharing/recording.js";
import { createRevisionBanner, createRevisions } from "./sharing/revisions.js";
import { canEdit, createSaving } from "./sharing/saving.js";
import { createShareDialog } from "./sharing/share.js";
import { createTabDrafts } from "./sharing/drafttabs.js";
import { openLesson } from "./lessons/lessonpage.js";
import { showLessons } from "./lessons/lessons.js";
import { createAlertPanel } from "./monitoring/alertpanel.js";
import { createDashboard } from "./monitoring/dashboard.js";
import { createEventFilter } from "./monitoring/eventfilter.js";
import { createClassEnd } from "./classes/classend.js";
import { createGoLive } from "./classes/golive.js";
import { createLiveClass, liveClassUrl, takeTeacherToken } from "./classes/live.js";

function main() {
  const catalog = readJson("catalog");
  const savedDocument = normalizeDocument(readJson("topology-document"));
  const page = readPage();
  // A lesson's preset may be changed in place, as any topology; it is never saved (canEdit).
  const editable = () => canEdit(page) || page.kind === "lesson";
  const restored = canEdit(page) ? readWorkingCopy(workingCopyKey(page.slug, page.version)) : null;
  const bus = createBus();
  const store = createDocumentStore({ document: restored ?? savedDocument, catalog, bus });
  const app = { catalog, savedDocument, page, editable, bus, store };
  app.history = createHistory({ store, bus });
  app.ui = createUiState();
  app.notifier = createNotifier({ container: $("#toasts") });
  // The editor comes after the parts that select nodes through it.
  app.selectNode = (id) => app.editor.select({ type: "node", id });

  wirePlayback(app);
  wireEditing(app);
  wireSaving(app);
  wirePageKind(app);
  wireTools(app);
  wireStage(app);
  app.socket.open();
  greet(app, restored);
}

/** The simulation and everything that shows its numbers. */
function wirePlayback(app) {
  const { catalog, page, bus, store, ui, notifier } = app;
  app.particles = createParticles({ classes: catalog.request_classes, capacity: 2000 });
  app.storyDots = createStoryParticles({ classes: catalog.request_classes });
  app.stories = createStories({ bus });
  app.problems = createProblems({ root: $("#problems"), doc: () => store.doc, onNode: app.selectNode });
  const eventFilter = createEventFilter({ kind: $("#event-kind"), node: $("#event-node"), log: $("#event-log"), bus, store });
  app.stats = createStats({
    table: $("#node-stats"),
    totals: {
      rps: $("#total-rps"),
      errors: $("#total-errors"),
      p50: $("#total-p50"),
      p95: $("#total-p95"),
      p99: $("#total-p99"),
      hits: $("#total-hits"),
      cdn: $("#total-cdn"),
      window: $("#totals-window"),
    },
    clock: $("#sim-time"),
    pace: $("#sim-pace"),
    log: $("#event-log"),
    onSelect: app.selectNode,
    choiceLabels: choiceLabels(catalog),
    tagEvent: eventFilter.tag,
    causeLabels: causeLabels(catalog),
  });
  // Alerts, the lesson's and the person's own, write to the event log as the engine's events do.
  bus.on("log:event", app.stats.addEvent);
  app.socket = createSocket({
    url: () => (page.kind === "live" ? liveClassUrl(page.liveCode) : simulationUrl(page.slug)),
    bus,
  });
  createConnectionBanner({ container: $(".stage"), bus, notifier, retryNow: app.socket.retryNow });
  createLegend({ container: $(".stage"), bus, classes: catalog.request_classes });
  createNodeCard({ canvas: $("#canvas"), container: $(".stage"), bus, store, ui, catalog });
  createWaterfall({ container: $(".stage"), bus, catalog });
  createExemplars({ root: $("#exemplars"), bus, stories: app.stories, catalog });
  const { socket, stats, particles, problems } = app;
  app.sim = createSimulation({
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
  bus.on("stories:told", ({ stories }) => app.storyDots.add(stories, store.doc, app.sim.pace));
  // An empty table of gauges is a reset or a new load: the dots of before no longer hold.
  bus.on("sim:gauges", (gauges) => Object.keys(gauges).length || app.storyDots.clear());
  const liveClass = page.kind === "live" ? wireLiveClass(app) : null;
  app.liveClass = liveClass;
  // Students watch a live class; everyone else may break the simulation with live actions.
  app.canAct = () => !liveClass || liveClass.role === "teacher";
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
  createClassEnd({
    bus,
    store,
    api: createApi(),
    notifier,
    elements: { box: $("#live-ended"), keepEditing: $("#live-keep-editing"), save: $("#live-save-design") },
  });
  return live;
}

/** The live actions, the context menu, the editor on the canvas, the palette and the inspector. */
function wireEditing(app) {
  const { catalog, bus, store, ui, editable, notifier, sim, canAct } = app;
  createGlobalActions({ root: $("#global-actions"), catalog, onAction: sim.act });
  const actions = {
    catalog,
    editable,
    canAct,
    met: () => sim.met,
    onAction: sim.act,
    onConfigure: (action) => app.panel.focusAction(action),
    onDelete: (id) => {
      store.deleteNode(id);
      app.editor.select(null);
    },
  };
  const menu = createContextMenu({ root: $("#context-menu"), ...actions });
  app.editor = createEditor({
    canvas: $("#canvas"),
    store,
    ui,
    bus,
    editable,
    catalog,
    onContextMenu: menu.open,
    onRefusedEdge: (from, to) => notifier.info(refusedEdgeText(catalog, from, to), { timeout: 8000 }),
  });
  createPalette({ list: $("#palette-list"), catalog, editor: app.editor, bus });
  createNodeToolbar({ canvas: $("#canvas"), container: $(".stage"), bus, store, ui, actions, openMenu: menu.open, menuRoot: $("#context-menu") });
  const onDelete = () => app.editor.deleteSelection();
  const met = () => sim.met;
  // A live class's teacher changes the props the running simulation takes ("set"), nothing else.
  const propsEditable = (target, name) =>
    editable() || (app.page.kind === "live" && app.liveClass?.role === "teacher" && !app.liveClass.ended && isLive(catalog, store.doc, target, name));
  app.panel = createPanel({ root: $("#inspector"), catalog, store, bus, editable, onAction: sim.act, onDelete, met, canAct, propsEditable });
}

/** Saving, sharing and the header that shows whether there is something to save. */
function wireSaving(app) {
  const { store, page, bus, editable, notifier, problems, savedDocument } = app;
  app.api = createApi();
  const share = createShareDialog({
    dialog: $("#share-dialog"),
    onSaveAbout: (description, published) => app.saving.saveAbout(description, published),
  });
  createHeader({ store, page, bus, editable, panel: app.panel });
  app.saving = createSaving({
    api: app.api,
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
  createTabDrafts({ store, page, editable: () => canEdit(page), notifier });
}

/** What only some pages have: history and Go live, an old version's banner, the lists of a new page, a lesson. */
function wirePageKind({ page, api, store, saving, bus, sim, notifier, editor }) {
  if (page.kind !== "live") {
    createRevisions({ dialog: $("#history-dialog"), open: $("#history-open"), api, page, saving, bus });
    createGoLive({ button: $("#go-live"), api, store, page, saving, notifier });
  }
  if (page.kind === "revision") {
    createRevisionBanner({ button: $("#revision-restore"), number: Number($("#app").dataset.revision), saving });
  }
  if (page.kind === "new") {
    showLessons({ section: $("#lessons"), list: $("#lesson-list") });
    showGallery({ section: $("#gallery"), list: $("#gallery-list") });
  }
  if (page.kind === "embed") {
    // A player in someone else's page has the size they gave it: show the whole drawing in it.
    requestAnimationFrame(() => editor.fit());
    new ResizeObserver(() => editor.fit()).observe($("#canvas"));
  }
  if (page.kind === "lesson") {
    openLesson({ lesson: readJson("lesson-data"), root: $("#lesson"), speed: $("#speed"), bus, sim, api, notifier, store });
    // A lesson is read before it is touched: show its whole drawing, whatever the screen.
    requestAnimationFrame(() => editor.fit());
  }
}

/** Where this page's own alert rules are kept: per saved topology, lesson or live class. */
function alertsName(page) {
  if (page.kind === "lesson") return `lesson:${readJson("lesson-data").slug}`;
  if (page.kind === "live") return `live:${page.liveCode}`;
  return page.slug || "new";
}

/** Findings, files, charts, data counters, metrics and alerts, keyboard shortcuts, undo, help, language and look. */
function wireTools(app) {
  const { store, problems, sim, bus, history, editable, editor, saving, page } = app;
  app.findings = createFindings({ list: $("#findings"), count: $("#findings-count"), bus, onNode: app.selectNode });
  createFiles({
    store,
    pictures: { png: () => drawingPng(app.stage.picture()), svg: () => drawingSvg(app.stage.picture()) },
    problems,
    onImported: sim.revealProblems,
    controls: { exportJson: $("#export-json"), importJson: $("#import-json"), file: $("#import-file"), exportPng: $("#export-png"), exportSvg: $("#export-svg") },
  });
  createRecording({
    dialog: $("#record-dialog"),
    button: $("#record"),
    canvas: $("#canvas"),
    bus,
    sim,
    save: download,
    name: () => fileName(store.doc.title),
    notifier: app.notifier,
  });
  const charts = createCharts({ root: $("#charts"), bus });
  createDataCounters({ root: $("#data-counters"), bus });
  createWarmingNotice({ element: $("#engine-warming"), bus });
  createSeedRuns({ button: $("#seeds-run"), output: $("#seeds-result"), store, api: app.api, bus });
  createDashboard({ root: $("#metric-groups"), bus, store });
  createAlertPanel({ root: $("#alerts"), bus, store, storageKey: () => alertRulesKey(alertsName(page)) });
  const { zoomBy, fit, actualSize } = editor;
  createShortcuts({ history, editable, togglePlay: sim.toggle, zoomBy, fit, actualSize, help: $("#help-dialog") });
  createUndoButtons({ undo: $("#undo"), redo: $("#redo"), history, bus });
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
}

/** The canvas and what follows the document: the rows of the live numbers, the selection. */
function wireStage(app) {
  const { store, ui, bus, sim, particles, catalog, editor, editable, findings, panel, stats, storyDots, stories } = app;
  const onStory = (id) => stories.open(id);
  app.stage = createStage({ canvas: $("#canvas"), store, ui, bus, sim, particles, catalog, editor, editable, findings, stories: storyDots, onStory });
  bus.on("sim:gauges", (gauges) => panel.setGauges(gauges));
  bus.on("sim:met", panel.refreshActions);
  bus.on("doc:change", (change) => {
    if (["structure", "replace", "label"].includes(change.kind)) stats.setNodes(store.doc.nodes);
    if (dangling(store.doc, ui.selection)) editor.select(null);
  });
  stats.setNodes(store.doc.nodes);
  // A narrow screen shows only a corner of a drawing made on a wide one: start with all of it.
  if (matchMedia("(max-width: 1023px)").matches) requestAnimationFrame(() => editor.fit());
}

/** Notes on arrival: unsaved changes restored, or a fork just made. */
function greet({ store, saving, notifier, savedDocument, editable }, restored) {
  if (restored && saving.isDirty()) {
    notifier.info(t("Your unsaved changes were restored."), {
      timeout: 8000,
      action: { label: t("Discard"), run: () => store.replace(savedDocument) },
    });
  }
  const forkedFrom = handOver("forked");
  if (forkedFrom && editable()) saving.openShare(t("This is your own copy of {name}, saved with its own links.", { name: forkedFrom }));
}

main();
