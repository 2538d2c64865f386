/**
 * Keyboard shortcuts of the whole page (the editor handles Delete, Escape, copy and paste):
 * undo and redo, Space to play or pause, + and - to zoom, Shift+1 to fit the drawing to the
 * screen, Shift+0 for 100%, ? for the help overlay.
 */

/** Whether a key belongs to a field, a button or an open dialog rather than to the page. */
const elsewhere = (event, selector) => Boolean(event.target.closest?.(selector));

/**
 * @param {object} options
 * @param {{undo: () => void, redo: () => void}} options.history
 * @param {() => boolean} options.editable
 * @param {() => void} options.togglePlay
 * @param {(factor: number) => void} options.zoomBy
 * @param {() => void} options.fit  show the whole drawing
 * @param {() => void} options.actualSize  back to 100%
 * @param {HTMLDialogElement} options.help  #help-dialog
 */
export function createShortcuts({ history, editable, togglePlay, zoomBy, fit, actualSize, help }) {
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
    } else if (event.shiftKey && (event.code === "Digit1" || event.code === "Digit0")) {
      // By the key's place, not its character: Shift+1 types "!" on one layout and "+" on another.
      if (event.code === "Digit1") fit();
      else actualSize();
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
