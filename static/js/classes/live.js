/**
 * A live class as this page takes part in it: a student watches, the teacher drives.
 *
 * Everyone connects to /ws/live/<code>/ and is a student at first; the teacher's page then sends
 * its secret token ("auth") and the server answers with a teacher's hello. The token comes in the
 * link's fragment (#teach=...), is kept for this tab only and is removed from the address bar at
 * once, because the teacher's screen is usually on a projector.
 */

import { t } from "../core/i18n.js";
import { readEditToken, writeEditToken } from "../core/storage.js";

const tokenKey = (code) => `live:${code}`;
/**
 * The page acknowledges the newest frame it has shown at most this often. The server sends a
 * page only a few frames beyond its last acknowledgement, so a page that cannot keep up misses
 * frames instead of piling them up in the server.
 */
const ACK_INTERVAL_MS = 1000;

/**
 * The WebSocket URL of a live class on this site.
 * @param {string} code
 * @param {Location} [where]
 */
export function liveClassUrl(code, where = location) {
  const scheme = where.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${where.host}/ws/live/${encodeURIComponent(code)}/`;
}

/**
 * The teacher's token for this class: from the link's fragment (then hidden), else from this tab.
 * @param {string} code
 * @returns {string}
 */
export function takeTeacherToken(code) {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, "")).get("teach");
  if (fromHash) {
    writeEditToken(tokenKey(code), fromHash);
    history.replaceState(null, "", location.pathname + location.search);
  }
  return fromHash || readEditToken(tokenKey(code));
}

/**
 * @param {object} options
 * @param {string} options.code  the join code
 * @param {string} options.teacherToken  "" on a student's page
 * @param {import("../core/bus.js").Bus} options.bus
 * @param {{send: (message: object) => boolean, close: () => void}} options.socket
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {ReturnType<import("../core/notify.js").createNotifier>} options.notifier
 * @param {{audience: HTMLElement, end: HTMLButtonElement, code: HTMLButtonElement, joinDialog: HTMLDialogElement,
 *          narration: HTMLElement, narrateForm: HTMLFormElement, narrateText: HTMLTextAreaElement,
 *          role: HTMLElement, controls: HTMLElement[]}} options.elements
 */
export function createLiveClass({ code, teacherToken, bus, socket, store, notifier, elements }) {
  let role = "student";
  let ended = false;

  function setRole(next) {
    role = next;
    const teaching = role === "teacher";
    document.body.dataset.liveRole = role;
    elements.end.hidden = !teaching;
    elements.narrateForm.hidden = !teaching || ended;
    elements.audience.hidden = !teaching;
    for (const control of elements.controls) control.disabled = !teaching || ended;
    bus.emit("live:role", role);
    elements.role.textContent = teaching
      ? t("You are teaching. Play, pause, speed and live actions reach every student.")
      : t("You are watching the teacher's simulation. It runs in step for the whole class.");
  }

  function showNarration(text) {
    elements.narration.textContent = text;
    elements.narration.hidden = !text;
  }

  function showAudience(students) {
    elements.audience.textContent =
      students === 1 ? t("1 student watching") : t("{count} students watching", { count: students });
    elements.audience.dataset.count = String(students);
  }

  function onHello(message) {
    if (message.role === "student" && teacherToken && !ended) socket.send({ type: "auth", token: teacherToken });
    if (message.document && JSON.stringify(message.document) !== JSON.stringify(store.doc)) {
      store.replace(message.document);
    }
    if (Array.isArray(message.findings)) bus.emit("sim:findings", message.findings);
    showNarration(message.narration ?? "");
    showAudience(message.students ?? 0);
    setRole(message.role === "teacher" ? "teacher" : "student");
  }

  function onEnded(message) {
    ended = true;
    document.body.dataset.liveEnded = "true";
    setRole(role);
    elements.end.hidden = true;
    // Nobody is watching any more: a count would only be stale.
    elements.audience.hidden = true;
    // The server's reasons are fixed English sentences with translations in the scripts' catalog.
    const reason = t(message.reason || "The class has ended.");
    showNarration(reason);
    elements.narration.classList.add("is-ended");
    notifier.info(reason, { timeout: 0 });
    bus.emit("live:ended", reason);
  }

  /** The teacher changed props: every page shows the values the class now runs with. */
  function onDesign(message) {
    if (message.document && JSON.stringify(message.document) !== JSON.stringify(store.doc)) store.replace(message.document);
    bus.emit("sim:findings", message.findings ?? []);
  }

  let newestFrame = 0;
  let ackTimer = null;

  function acknowledge(message) {
    if (typeof message.seq !== "number") return;
    newestFrame = Math.max(newestFrame, message.seq);
    ackTimer ??= setTimeout(() => {
      ackTimer = null;
      socket.send({ type: "ack", seq: newestFrame });
    }, ACK_INTERVAL_MS);
  }

  bus.on("server:hello", onHello);
  bus.on("server:frame", acknowledge);
  bus.on("server:audience", (message) => showAudience(message.students));
  bus.on("server:narration", (message) => showNarration(message.text));
  bus.on("server:ended", onEnded);
  bus.on("server:design", onDesign);

  elements.narrateForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!socket.send({ type: "narrate", text: elements.narrateText.value.trim() })) {
      notifier.error(t("Not connected: the narration was not sent."));
    }
  });
  elements.end.addEventListener("click", () => {
    if (confirm(t("End the class for every student?"))) socket.send({ type: "end" });
  });
  elements.code.addEventListener("click", () => elements.joinDialog.showModal());
  elements.joinDialog
    .querySelectorAll("[data-close]")
    .forEach((button) => button.addEventListener("click", () => elements.joinDialog.close()));
  setRole("student");

  return {
    /** "student" or "teacher", as the server last said. */
    get role() {
      return role;
    },
    get ended() {
      return ended;
    },
  };
}
