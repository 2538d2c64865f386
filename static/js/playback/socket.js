/**
 * The simulation WebSocket. It reconnects by itself and publishes on the bus:
 *   "socket:status"  {state: "connecting" | "open" | "reconnecting" | "closed", retryIn?}
 *   "server:<type>"  every message from the server, by its type (hello, frame, state, event, error)
 */

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;
// The server closes with these codes when retrying cannot help: the topology or class does not
// exist (4404), or the live class has ended (4000).
const FINAL_CODES = new Set([4000, 4404]);

/**
 * The WebSocket URL of a simulation on this site.
 * @param {string} slug  a saved topology's slug, or "" for a new one
 * @param {Location} [where]
 * @returns {string}
 */
export function simulationUrl(slug, where = location) {
  const scheme = where.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${where.host}/ws/sim/${encodeURIComponent(slug || "new")}/`;
}

/**
 * A simulation socket that reconnects with exponential backoff (0.5 s doubling to 10 s, each wait
 * give or take a fifth), and at once when the browser is back online or retryNow() is called.
 * It connects when open() is called.
 * @param {{url: () => string, bus: import("../core/bus.js").Bus, WebSocket?: typeof WebSocket}} options
 *   url is called on every (re)connection, so a page that gets saved reconnects to its slug.
 */
export function createSocket({ url, bus, WebSocket: Socket = window.WebSocket }) {
  let socket = null;
  let delay = FIRST_DELAY_MS;
  let timer = null;
  let stopped = false;

  function connect() {
    timer = null;
    bus.emit("socket:status", { state: socket ? "reconnecting" : "connecting" });
    socket = new Socket(url());
    socket.addEventListener("open", onOpen);
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", onClose);
  }

  function onOpen() {
    delay = FIRST_DELAY_MS;
    bus.emit("socket:status", { state: "open" });
  }

  function onMessage(event) {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (message && typeof message.type === "string") bus.emit(`server:${message.type}`, message);
  }

  function onClose(event) {
    if (stopped || FINAL_CODES.has(event.code)) {
      bus.emit("socket:status", { state: "closed" });
      return;
    }
    // Some randomness, so that a whole class whose server restarted does not knock all at once.
    const wait = Math.round(delay * (0.8 + 0.4 * Math.random()));
    bus.emit("socket:status", { state: "reconnecting", retryIn: wait });
    timer = setTimeout(connect, wait);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }

  /** Try again now instead of at the end of the wait (a person asked, or the network is back). */
  function retryNow() {
    if (!timer || stopped) return;
    clearTimeout(timer);
    connect();
  }

  /**
   * Send one message; returns false (and drops it) when the socket is not open, because every
   * reconnection starts again from "load".
   * @param {object} message
   * @returns {boolean}
   */
  function send(message) {
    if (!socket || socket.readyState !== Socket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  function close() {
    stopped = true;
    clearTimeout(timer);
    socket?.close();
  }

  /** @returns {boolean} */
  const isOpen = () => socket?.readyState === Socket.OPEN;

  window.addEventListener("online", retryNow);
  return {
    /** Connect (once the listeners are on the bus). */
    open: connect,
    send,
    close,
    isOpen,
    retryNow,
  };
}
