/**
 * The simulation bar's controls: Play, Pause, Step, Reset, the speed and the connection status.
 * They say what the person asked for and show what the simulation is doing; sim.js decides.
 */

import { t } from "../core/i18n.js";

const STATUS_TEXT = {
  connecting: "Connecting…",
  open: "Connected",
  reconnecting: "Disconnected, reconnecting…",
  closed: "Offline",
};

/**
 * @param {object} options
 * @param {{play: HTMLButtonElement, pause: HTMLButtonElement, step: HTMLButtonElement, reset: HTMLButtonElement,
 *          speed: HTMLSelectElement, status: HTMLElement}} options.elements
 * @param {{play: () => void, pause: () => void, step: () => void, reset: () => void, speed: (value: number) => void}} options.on
 */
export function createControls({ elements, on }) {
  const { play, pause, step, reset, speed, status } = elements;
  play.addEventListener("click", on.play);
  pause.addEventListener("click", on.pause);
  step.addEventListener("click", on.step);
  reset.addEventListener("click", on.reset);
  speed.addEventListener("change", () => on.speed(Number(speed.value)));

  return {
    /** @param {string} state  the socket's ("connecting", "open", ...) */
    showStatus(state) {
      status.textContent = t(STATUS_TEXT[state] ?? state);
      status.dataset.state = state;
    },
    /**
     * Show whether the simulation runs; a run asked for while offline shows as running.
     * @param {{running: boolean, wantRunning: boolean, hasFrame: boolean}} state
     */
    showRunning({ running, wantRunning, hasFrame }) {
      const live = running || (wantRunning && status.dataset.state !== "open");
      play.classList.toggle("is-active", running);
      play.setAttribute("aria-pressed", String(running));
      pause.setAttribute("aria-pressed", String(!running));
      pause.classList.toggle("is-active", !running && hasFrame);
      document.body.dataset.running = String(live);
    },
    /** The chosen speed (simulated seconds per wall second). */
    get speed() {
      return Number(speed.value);
    },
    /** Show the speed the server runs at, when the list offers it. */
    showSpeed(value) {
      if (typeof value === "number" && speed.querySelector(`option[value="${value}"]`)) speed.value = String(value);
    },
  };
}
