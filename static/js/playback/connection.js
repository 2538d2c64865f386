/**
 * What the page says when the connection to the server drops: a banner over the canvas with the
 * seconds until the next attempt and a button to try at once, then a short note when it is back.
 * The socket does the reconnecting (socket.js); this only tells the person.
 */

import { t } from "../core/i18n.js";

/**
 * @param {object} options
 * @param {HTMLElement} options.container  the element the banner is shown in (the stage)
 * @param {import("../core/bus.js").Bus} options.bus  listens to "socket:status"
 * @param {ReturnType<import("../core/notify.js").createNotifier>} options.notifier
 * @param {() => void} options.retryNow
 */
export function createConnectionBanner({ container, bus, notifier, retryNow }) {
  const banner = document.createElement("div");
  banner.className = "connection-banner";
  banner.setAttribute("role", "alert");
  banner.hidden = true;
  const message = document.createElement("strong");
  message.textContent = t("The connection to the server was lost.");
  // The countdown changes every second: screen readers hear the message once, not every tick.
  const countdown = document.createElement("span");
  countdown.setAttribute("aria-hidden", "true");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn";
  button.textContent = t("Reconnect now");
  button.addEventListener("click", retryNow);
  banner.append(message, countdown, button);
  container.append(banner);

  let lost = false;
  let retryAt = 0;
  let ticker = null;

  function tick() {
    const seconds = Math.ceil((retryAt - Date.now()) / 1000);
    countdown.textContent =
      seconds > 0 ? t("Reconnecting in {seconds} s…", { seconds }) : t("Reconnecting…");
  }

  function onStatus({ state, retryIn }) {
    clearInterval(ticker);
    if (state === "reconnecting") {
      lost = true;
      // Without retryIn the socket is trying right now.
      retryAt = retryIn === undefined ? 0 : Date.now() + retryIn;
      banner.hidden = false;
      tick();
      ticker = setInterval(tick, 1000);
      return;
    }
    banner.hidden = true;
    if (state === "open" && lost) notifier.info(t("Connected again."));
    if (state !== "connecting") lost = false;
  }

  bus.on("socket:status", onStatus);
}
