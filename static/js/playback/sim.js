/**
 * The simulation as this page drives it: controls to messages, server messages to live numbers.
 *
 * The server runs the simulation; the page only keeps what it last heard (the newest frame) and
 * what the person asked for (running or not, the speed), so that a reconnection can start again
 * from "load" and pick up where the person was.
 */

import { t } from "../core/i18n.js";
import { findNode } from "../document/document.js";
import { outcomeFlows } from "../canvas/flows.js";

/** Structural edits arriving within this many milliseconds share one "load". */
const LOAD_DEBOUNCE_MS = 150;
/** Prop edits arriving within this many milliseconds share one "set" per target. */
const SET_DEBOUNCE_MS = 250;
/** Wall seconds the particles keep moving after a single Step. */
const STEP_ANIMATION_S = 0.4;

const edgeKey = (from, to) => `${from}\u0000${to}`;

const STATUS_TEXT = {
  connecting: "Connecting…",
  open: "Connected",
  reconnecting: "Disconnected, reconnecting…",
  closed: "Offline",
};

/**
 * @param {object} options
 * @param {{send: (message: object) => boolean}} options.socket
 * @param {import("../core/bus.js").Bus} options.bus
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {ReturnType<import("./stats.js").createStats>} options.stats
 * @param {ReturnType<import("../canvas/particles.js").createParticles>} options.particles
 * @param {ReturnType<import("../core/notify.js").createNotifier>} options.notifier
 * @param {ReturnType<import("../document/problems.js").createProblems>} options.problems
 * @param {{play: HTMLButtonElement, pause: HTMLButtonElement, step: HTMLButtonElement, reset: HTMLButtonElement,
 *          speed: HTMLSelectElement, status: HTMLElement}} options.controls
 * @param {object} options.catalog  says which props a running simulation can change (`live`)
 * @param {boolean} [options.live]  a live class: the server already holds the teacher's document, so
 *   the page never sends "load" and takes the running state from the server's hello
 */
export function createSimulation({ socket, bus, store, stats, particles, notifier, problems, controls, catalog, live = false }) {
  let running = false;
  let wantRunning = false;
  // A drawing in progress is often incomplete, so a refused load stays quiet until the person
  // asks the simulation to run (Play or Step); then its problems are shown.
  let loadFailed = null;
  let revealProblems = false;
  // The server answers messages in order, so the first "state" after a "load" is its reply.
  let awaitingLoad = false;
  let loadTimer = null;
  let setTimer = null;
  const pendingSets = new Map();
  let frame = null;
  let gauges = {};
  let edgeRates = [];
  let stepAnimation = 0;

  // Messages to the server

  // An empty document has nothing to simulate and the engine refuses it: not worth a warning
  // while the person has not placed anything yet.
  function sendLoad() {
    clearTimeout(loadTimer);
    loadTimer = null;
    clearTimeout(setTimer);
    pendingSets.clear();
    if (live) return;
    if (!store.doc.nodes.length) {
      problems.clear("sim");
      bus.emit("sim:findings", []);
      return;
    }
    if (!socket.send({ type: "load", document: store.doc })) return;
    awaitingLoad = true;
    if (wantRunning) socket.send({ type: "start" });
  }

  function scheduleLoad() {
    clearTimeout(loadTimer);
    loadTimer = setTimeout(sendLoad, LOAD_DEBOUNCE_MS);
  }

  function flushLoad() {
    if (loadTimer) sendLoad();
  }

  function queueSet(target, props) {
    pendingSets.set(target, { ...(pendingSets.get(target) ?? {}), ...props });
    clearTimeout(setTimer);
    setTimer = setTimeout(flushSets, SET_DEBOUNCE_MS);
  }

  function flushSets() {
    clearTimeout(setTimer);
    for (const [target, props] of pendingSets) socket.send({ type: "set", target, props });
    pendingSets.clear();
  }

  function play() {
    if (!store.doc.nodes.length) {
      notifier.info(t("Drag a component from the palette onto the canvas first."));
      return;
    }
    revealProblems = true;
    if (loadFailed && !loadTimer) return showProblems();
    flushLoad();
    flushSets();
    wantRunning = true;
    if (!socket.send({ type: "start" }))
      notifier.info("Not connected yet: the simulation starts when the connection is back.");
    showRunning();
  }

  function pause() {
    wantRunning = false;
    socket.send({ type: "pause" });
  }

  function step() {
    if (!store.doc.nodes.length) return;
    revealProblems = true;
    if (loadFailed && !loadTimer) return showProblems();
    flushLoad();
    flushSets();
    wantRunning = false;
    running = false;
    socket.send({ type: "step" });
    showRunning();
  }

  function reset() {
    flushLoad();
    socket.send({ type: "reset" });
    clearLive();
  }

  /**
   * Send a live action, and show the expected effect of kill and revive until the next frame tells.
   * @param {string} action  a catalog action ("kill", "slow", "spike", ...)
   * @param {string | null} target  a node id, or null for an action without one
   * @param {Record<string, any>} [params]  the action's settings
   */
  function act(action, target, params = {}) {
    if (!socket.send({ type: "act", action, ...(target ? { target } : {}), ...params })) {
      notifier.error(t("Not connected: the action was not sent."));
      return;
    }
    if (action === "kill" || action === "revive") {
      const up = action === "revive";
      gauges = { ...gauges, [target]: { ...(gauges[target] ?? {}), up, ...(up ? {} : { rps: 0, util: 0, queue: 0 }) } };
      particles.cull((edge) => !up && store.doc.edges[edge]?.to === target);
      updateEdges();
      publishGauges();
    }
  }

  // What the server says

  function onStatus({ state }) {
    controls.status.textContent = t(STATUS_TEXT[state] ?? state);
    controls.status.dataset.state = state;
    if (state !== "open") {
      running = false;
      showRunning();
    }
  }

  function onHello(message) {
    if (live) return joinClass(message);
    running = Boolean(message.running);
    const speed = Number(controls.speed.value);
    sendLoad();
    if (speed !== message.speed) socket.send({ type: "speed", value: speed });
    showRunning();
  }

  /** A live class's hello: the class's state and newest frame, so a late joiner is in step at once. */
  function joinClass(message) {
    if (message.state) onState(message.state);
    if (message.frame) onFrame(message.frame);
  }

  function onState(message) {
    // A reset class starts again from time 0: the live numbers of before no longer hold.
    if (live && message.t === 0 && frame) clearLive();
    running = Boolean(message.running);
    if (typeof message.speed === "number" && controls.speed.querySelector(`option[value="${message.speed}"]`)) {
      controls.speed.value = String(message.speed);
    }
    if ("findings" in message) bus.emit("sim:findings", message.findings ?? []);
    if (awaitingLoad || "findings" in message) {
      awaitingLoad = false;
      loadFailed = null;
      problems.clear("sim");
      clearLive();
    }
    stats.setClock(message.t ?? 0);
    showRunning();
  }

  function onFrame(message) {
    frame = message;
    gauges = message.nodes ?? {};
    if (!running) stepAnimation = STEP_ANIMATION_S;
    stats.showFrame(message);
    updateEdges();
    publishGauges();
  }

  function onEvent(message) {
    stats.addEvent(message);
  }

  function onError(message) {
    const list = Array.isArray(message.problems) ? message.problems : [];
    if (list.length) {
      awaitingLoad = false;
      loadFailed = { message: message.message || "The topology has problems.", problems: list };
      bus.emit("sim:findings", []);
      if (revealProblems || problems.source === "sim") showProblems();
    } else {
      notifier.error(message.message || "The simulation refused that.");
    }
  }

  function showProblems() {
    problems.show("sim", `${loadFailed.message} Fix them to run the simulation.`, loadFailed.problems);
  }

  /** Whether a running simulation can change this prop (the catalog's `live`; unknown means yes). */
  function isLive(target, name) {
    const specs = target === "traffic" ? catalog?.traffic : catalog?.kinds?.[findNode(store.doc, target)?.kind]?.props;
    return specs?.[name]?.live !== false;
  }

  // Derived live state

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

  function clearLive() {
    frame = null;
    gauges = {};
    edgeRates = [];
    particles.clear();
    stats.clear();
    publishGauges();
  }

  function publishGauges() {
    bus.emit("sim:gauges", gauges);
    bus.emit("ui:redraw");
  }

  function showRunning() {
    const live = running || (wantRunning && controls.status.dataset.state !== "open");
    controls.play.classList.toggle("is-active", running);
    controls.play.setAttribute("aria-pressed", String(running));
    controls.pause.setAttribute("aria-pressed", String(!running));
    controls.pause.classList.toggle("is-active", !running && Boolean(frame));
    document.body.dataset.running = String(live);
  }

  bus.on("socket:status", onStatus);
  bus.on("server:hello", onHello);
  bus.on("server:state", onState);
  bus.on("server:frame", onFrame);
  bus.on("server:event", onEvent);
  bus.on("server:error", onError);
  bus.on("doc:change", (change) => {
    if (change.kind === "structure" || change.kind === "replace") {
      particles.clear();
      updateEdges();
      scheduleLoad();
    } else if (change.kind === "props") {
      const known = change.target === "traffic" || findNode(store.doc, change.target);
      const fixed = Object.keys(change.props).filter((name) => !isLive(change.target, name));
      // A refused or pending load means the server does not hold this document: send it whole.
      // So does a prop the engine cannot change while running: the simulation starts again.
      if (loadFailed || loadTimer || !known || fixed.length) scheduleLoad();
      else queueSet(change.target, change.props);
      if (known && fixed.length && frame)
        notifier.info(t("{name} cannot change while the simulation runs: it starts again from 0.", { name: fixed.join(", ") }));
    }
  });

  controls.play.addEventListener("click", play);
  controls.pause.addEventListener("click", pause);
  controls.step.addEventListener("click", step);
  controls.reset.addEventListener("click", reset);
  controls.speed.addEventListener("change", () => socket.send({ type: "speed", value: Number(controls.speed.value) }));

  return {
    act,
    play,
    pause,
    /** Play when paused, pause when running (the Space key). */
    toggle: () => (wantRunning || running ? pause() : play()),
    /** List the problems of the next refused load at once (after an import). */
    revealProblems() {
      revealProblems = true;
    },
    /** Live numbers by node id from the newest frame. */
    get gauges() {
      return gauges;
    },
    /** Requests per second on each document edge, null where no frame said. */
    get edgeRates() {
      return edgeRates;
    },
    /** How fast particles travel: a faster simulation moves them a little faster. */
    get pace() {
      const speed = Number(controls.speed.value) || 1;
      return Math.min(2.5, Math.max(0.6, 1 + 0.6 * Math.log10(speed)));
    },
    /**
     * Whether the particles should move during the next dt seconds (running, or just stepped).
     * @param {number} dt
     */
    animating(dt) {
      if (running) return true;
      stepAnimation -= dt;
      return stepAnimation > 0;
    },
  };
}
