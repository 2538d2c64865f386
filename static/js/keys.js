/**
 * Keyboard shortcuts of the whole page (the editor handles Delete, Escape, copy and paste):
 * undo and redo, Space to play or pause, + and - to zoom, ? for the help overlay.
 */

/** Whether a key belongs to a field, a button or an open dialog rather than to the page. */
const elsewhere = (event, selector) => Boolean(event.target.closest?.(selector));

/**
 * @param {object} options
 * @param {{undo: () => void, redo: () => void}} options.history
 * @param {() => boolean} options.editable
 * @param {() => void} options.togglePlay
 * @param {(factor: number) => void} options.zoomBy
 * @param {HTMLDialogElement} options.help  #help-dialog
 */
export function createShortcuts({ history, editable, togglePlay, zoomBy, help }) {
  function onKeyDown(event) {
    if (elsewhere(event, "input, textarea, select, [contenteditable], dialog[open]")) return;
    const command = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (command && (key === "z" || key === "y")) {
      if (!editable()) return;
      if (key === "y" || event.shiftKey) history.redo();
      else history.undo();
    } else if (command || event.altKey) {
      return;
    } else if (event.key === " ") {
      if (elsewhere(event, "button, a, summary")) return;
      togglePlay();
    } else if (event.key === "+" || event.key === "=") {
      zoomBy(1.2);
    } else if (event.key === "-" || event.key === "_") {
      zoomBy(1 / 1.2);
    } else if (event.key === "?") {
      help.showModal();
    } else {
      return;
    }
    event.preventDefault();
  }

  help.querySelector("[data-close]").addEventListener("click", () => help.close());
  help.addEventListener("click", (event) => event.target === help && help.close());
  window.addEventListener("keydown", onKeyDown);
}
