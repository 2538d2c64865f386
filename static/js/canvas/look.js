/**
 * Light or dark theme and presenter mode (large type, thick lines), remembered in localStorage.
 * The page's <head> applies the stored look before the first paint; this module switches it.
 */

import { applyLook } from "./theme.js";

const KEY = "scale-playground:look";

/**
 * @param {object} options
 * @param {HTMLButtonElement} options.theme  #theme-toggle
 * @param {HTMLButtonElement} options.presenter  #presenter-toggle
 * @param {(look: {dark: boolean, presenter: boolean}) => void} options.onChange  redraw in the new look
 */
export function createLook({ theme, presenter, onChange }) {
  const root = document.documentElement;
  const look = { dark: root.dataset.theme === "dark", presenter: root.classList.contains("presenter") };

  function apply() {
    root.dataset.theme = look.dark ? "dark" : "light";
    root.classList.toggle("presenter", look.presenter);
    theme.setAttribute("aria-pressed", String(look.dark));
    presenter.setAttribute("aria-pressed", String(look.presenter));
    applyLook(look);
    onChange(look);
  }

  function toggle(name) {
    look[name] = !look[name];
    try {
      localStorage.setItem(KEY, JSON.stringify(look));
    } catch {
      /* Not remembered when storage is disabled; the page still switches. */
    }
    apply();
  }

  theme.addEventListener("click", () => toggle("dark"));
  presenter.addEventListener("click", () => toggle("presenter"));
  apply();
}
