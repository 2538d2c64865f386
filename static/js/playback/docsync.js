/**
 * The document as the server holds it: structural edits become one "load" (debounced), prop
 * edits one "set" per target, and a refused load keeps its problems until the person asks the
 * simulation to run.
 */

import { t } from "../core/i18n.js";
import { findNode } from "../document/document.js";

/** Structural edits arriving within this many milliseconds share one "load". */
const LOAD_DEBOUNCE_MS = 150;
/** Prop edits arriving within this many milliseconds share one "set" per target. */
const SET_DEBOUNCE_MS = 250;

/**
 * Whether a running simulation can change this prop (the catalog's `live`; unknown means yes).
 * @param {object} catalog
 * @param {object} doc
 * @param {string} target  a node id or "traffic"
 * @param {string} name
 */
export function isLive(catalog, doc, target, name) {
  const specs = target === "traffic" ? catalog?.traffic : catalog?.kinds?.[findNode(doc, target)?.kind]?.props;
  return specs?.[name]?.live !== false;
}

/**
 * @param {object} options
 * @param {{send: (message: object) => boolean}} options.socket
 * @param {import("../core/bus.js").Bus} options.bus  listens to "doc:change", publishes "sim:findings"
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {ReturnType<import("../document/problems.js").createProblems>} options.problems
 * @param {ReturnType<import("../core/notify.js").createNotifier>} options.notifier
 * @param {ReturnType<import("./livenumbers.js").createLiveNumbers>} options.numbers
 * @param {object} options.catalog
 * @param {boolean} options.live  a live class: the server already holds the teacher's document
 * @param {() => boolean} options.wantsRunning  whether the person asked the simulation to run
 */
export function createDocumentSync({ socket, bus, store, problems, notifier, numbers, catalog, live, wantsRunning }) {
  // A drawing in progress is often incomplete, so a refused load stays quiet until the person
  // asks the simulation to run (Play or Step); then its problems are shown.
  let loadFailed = null;
  let revealProblems = false;
  // The server answers messages in order, so the first "state" after a "load" is its reply.
  let awaitingLoad = false;
  let loadTimer = null;
  let setTimer = null;
  const pendingSets = new Map();

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
    if (wantsRunning()) socket.send({ type: "start" });
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

  function showProblems() {
    problems.show("sim", `${loadFailed.message} Fix them to run the simulation.`, loadFailed.problems);
  }

  function onPropsChange({ target, props }) {
    const known = target === "traffic" || findNode(store.doc, target);
    const fixed = Object.keys(props).filter((name) => !isLive(catalog, store.doc, target, name));
    // A refused or pending load means the server does not hold this document: send it whole.
    // So does a prop the engine cannot change while running: the simulation starts again.
    if (loadFailed || loadTimer || !known || fixed.length) scheduleLoad();
    else queueSet(target, props);
    if (known && fixed.length && numbers.frame)
      notifier.info(t("{name} cannot change while the simulation runs: it starts again from 0.", { name: fixed.join(", ") }));
  }

  bus.on("doc:change", (change) => {
    if (change.kind === "structure" || change.kind === "replace") {
      numbers.edgesChanged();
      scheduleLoad();
    } else if (change.kind === "props") onPropsChange(change);
  });

  return {
    sendLoad,
    flushLoad,
    /** Send every edit still waiting for its debounce. */
    flush() {
      flushLoad();
      flushSets();
    },
    /** Before Play or Step: false, with the problems listed, while the server refuses the document as it is. */
    ready() {
      revealProblems = true;
      if (loadFailed && !loadTimer) {
        showProblems();
        return false;
      }
      return true;
    },
    /** List the problems of the next refused load at once (after an import). */
    revealProblems() {
      revealProblems = true;
    },
    /**
     * Whether a "state" message is the reply to a load (or carries new findings): the document
     * the server holds is then the page's.
     * @param {object} message
     */
    accepted(message) {
      if (!awaitingLoad && !("findings" in message)) return false;
      awaitingLoad = false;
      loadFailed = null;
      problems.clear("sim");
      return true;
    },
    /**
     * Take an "error" message: a refused load keeps its problems (shown when asked to run).
     * @param {object} message
     * @returns {boolean} whether the error was about the document
     */
    refused(message) {
      const list = Array.isArray(message.problems) ? message.problems : [];
      if (!list.length) return false;
      awaitingLoad = false;
      loadFailed = { message: message.message || "The topology has problems.", problems: list };
      bus.emit("sim:findings", []);
      if (revealProblems || problems.source === "sim") showProblems();
      return true;
    },
  };
}
