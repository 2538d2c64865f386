/**
 * While the server compiles the engine (its first start on a machine, about a minute), the sim
 * bar says so and counts the seconds; Play and the page work meanwhile, and the simulation starts
 * by itself once the engine is ready ("engine" in the hello, then an "engine" message).
 */

import { t } from "../core/i18n.js";

/**
 * @param {{element: HTMLOutputElement, bus: import("../core/bus.js").Bus}} options  element: #engine-warming
 */
export function createWarmingNotice({ element, bus }) {
  let timer = null;
  let since = 0;

  function show(status) {
    clearInterval(timer);
    timer = null;
    element.hidden = status?.ready !== false;
    element.dataset.ready = String(element.hidden);
    if (element.hidden) return;
    since = performance.now() - 1000 * (status.elapsed_s ?? 0);
    element.title = t("The server compiles the simulation engine the first time it starts on a machine. Play now and the simulation starts by itself when it is ready.");
    const tick = () => {
      const seconds = Math.round((performance.now() - since) / 1000);
      element.textContent = t("Preparing the engine… {seconds} s", { seconds });
    };
    tick();
    timer = setInterval(tick, 1000);
  }

  bus.on("server:hello", (message) => show(message.engine));
  bus.on("server:engine", show);
}
