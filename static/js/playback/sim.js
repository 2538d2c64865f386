/**
 * The simulation as this page drives it: controls to messages, server messages to live numbers.
 *
 * The server runs the simulation; the page only keeps what it last heard (the newest frame) and
 * what the person asked for (running or not, the speed), so that a reconnection can start again
 * from "load" and pick up where the person was. The document's side is docsync.js, the live
 * numbers livenumbers.js.
 */

import { t } from "../core/i18n.js";
import { createControls } from "./controls.js";
import { createDocumentSync } from "./docsync.js";
import { createLiveNumbers } from "./livenumbers.js";

/** Wall seconds the particles keep moving after a single Step. */
const STEP_ANIMATION_S = 0.4;
/**
 * The page acknowledges the newest frame it has shown at most this often. The server runs a
 * page's simulation only a couple of seconds of frames beyond its last acknowledgement, so a tab
 * that stops reading holds the simulation instead of piling frames up in the server.
 */
const ACK_INTERVAL_MS = 1000;

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
  let stepAnimation = 0;
  const numbers = createLiveNumbers({ bus, store, stats, particles });
  const sync = createDocumentSync({
    socket,
    bus,
    store,
    problems,
    notifier,
    numbers,
    catalog,
    live,
    wantsRunning: () => wantRunning,
  });
  const bar = createControls({
    elements: controls,
    on: { play, pause, step, reset, speed: (value) => socket.send({ type: "speed", value }) },
  });

  function play() {
    if (!store.doc.nodes.length) {
      notifier.info(t("Drag a component from the palette onto the canvas first."));
      return;
    }
    if (!sync.ready()) return;
    sync.flush();
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
    if (!sync.ready()) return;
    sync.flush();
    wantRunning = false;
    running = false;
    socket.send({ type: "step" });
    showRunning();
  }

  function reset() {
    sync.flushLoad();
    socket.send({ type: "reset" });
    numbers.clear();
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
    if (action === "kill" || action === "revive") numbers.assume(action, target);
  }

  function onStatus({ state }) {
    bar.showStatus(state);
    if (state !== "open") {
      running = false;
      showRunning();
    }
  }

  let newestFrame = 0;
  let ackTimer = null;

  /** An editor's frames are numbered per connection (seq); a live class's page acknowledges its own. */
  function acknowledge(message) {
    if (live || typeof message.seq !== "number") return;
    newestFrame = Math.max(newestFrame, message.seq);
    ackTimer ??= setTimeout(() => {
      ackTimer = null;
      socket.send({ type: "ack", seq: newestFrame });
    }, ACK_INTERVAL_MS);
  }

  function onHello(message) {
    if (live) return joinClass(message);
    newestFrame = 0; // a new connection numbers its frames from 1 again
    running = Boolean(message.running);
    const speed = bar.speed;
    sync.sendLoad();
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
    if (live && message.t === 0 && numbers.frame) numbers.clear();
    running = Boolean(message.running);
    bar.showSpeed(message.speed);
    if ("findings" in message) bus.emit("sim:findings", message.findings ?? []);
    if (sync.accepted(message)) numbers.clear();
    numbers.hear(message);
    stats.setClock(message.t ?? 0);
    showRunning();
  }

  function onFrame(message) {
    if (!running) stepAnimation = STEP_ANIMATION_S;
    numbers.showFrame(message);
    acknowledge(message);
  }

  function onError(message) {
    if (!sync.refused(message)) notifier.error(message.message || "The simulation refused that.");
  }

  function showRunning() {
    bar.showRunning({ running, wantRunning, hasFrame: Boolean(numbers.frame) });
  }

  bus.on("socket:status", onStatus);
  bus.on("server:hello", onHello);
  bus.on("server:state", onState);
  bus.on("server:frame", onFrame);
  bus.on("server:event", (message) => stats.addEvent(message));
  bus.on("server:error", onError);

  return {
    act,
    play,
    pause,
    /** Back to time 0 with the document as it is. */
    reset,
    /** Play when paused, pause when running (the Space key). */
    toggle: () => (wantRunning || running ? pause() : play()),
    revealProblems: sync.revealProblems,
    /** Live numbers by node id from the newest frame. */
    get gauges() {
      return numbers.gauges;
    },
    /** The requirements each node meets now (actions.js), as the engine last said. */
    get met() {
      return numbers.met;
    },
    /** Requests per second on each document edge, null where no frame said. */
    get edgeRates() {
      return numbers.edgeRates;
    },
    /** How fast particles travel: a faster simulation moves them a little faster. */
    get pace() {
      const speed = bar.speed || 1;
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
