/**
 * The keys that act on the canvas while it is not a text field's turn: Delete, Escape, the
 * arrows (nudge or pan) and Ctrl/Cmd+D (duplicate). Copy and paste go through the clipboard's
 * own events (clipboard.js); the page's other shortcuts are keys.js.
 */

const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/**
 * Whether a keyboard event belongs to a text field or an open dialog rather than to the canvas.
 * @param {KeyboardEvent} event
 */
function typingElsewhere(event) {
  const target = /** @type {HTMLElement} */ (event.target);
  return Boolean(
    target.closest?.("input, textarea, select, [contenteditable=''], [contenteditable=true], dialog[open], [role=menu]"),
  );
}

/**
 * @param {object} options
 * @param {import("./editor.js").UiState} options.ui
 * @param {ReturnType<import("./commands.js").createCommands>} options.commands
 * @param {ReturnType<import("./pointer.js").createPointer>} options.pointer
 * @param {(selection: object | null) => void} options.select
 * @param {(kind: string | null) => void} options.arm
 */
export function createCanvasKeys({ ui, commands, pointer, select, arm }) {
  window.addEventListener("keydown", (event) => {
    if (typingElsewhere(event)) return;
    if (event.key === "Delete" || event.key === "Backspace") {
      if (!ui.selection) return;
      event.preventDefault();
      commands.deleteSelection();
    } else if (event.key === "Escape") {
      if (pointer.dragging) pointer.cancel();
      else if (ui.placing) arm(null);
      else select(null);
    } else if (event.key in ARROWS && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      commands.nudge(ARROWS[event.key], event.shiftKey ? 5 : 1);
    } else if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "d") {
      if (commands.duplicate()) event.preventDefault();
    }
  });
}
