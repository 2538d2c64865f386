/**
 * Pointer and keyboard interactions on the canvas: select (click, shift-click, shift-drag a
 * rubber band), move, connect, pan, zoom, place, delete, copy and paste, nudge with the arrow
 * keys. The editor changes the interface state and edits the document through the store;
 * drawing is left to render.js.
 *
 * This module holds the shared context and the palette's placing; the pointer (pointer.js,
 * drags.js), the commands (commands.js) and the canvas's keys (canvaskeys.js) each do one part.
 */

import { snap } from "../document/document.js";
import { createView, toWorld } from "../canvas/view.js";
import { createCanvasKeys } from "./canvaskeys.js";
import { createClipboard } from "./clipboard.js";
import { createCommands } from "./commands.js";
import { createPointer } from "./pointer.js";
import { createPinch } from "./touch.js";

/**
 * @typedef {object} UiState  the interface state the editor owns (read by render.js)
 * @property {import("../canvas/view.js").View} view
 * @property {import("../canvas/render.js").Scene["selection"]} selection
 * @property {string | null} hover
 * @property {import("../canvas/render.js").Scene["connecting"]} connecting
 * @property {import("../canvas/render.js").Scene["ghost"]} ghost
 * @property {string | null} placing  kind armed from the palette, placed by the next click
 * @property {{x0: number, y0: number, x1: number, y1: number} | null} band  a rubber band (world)
 */

/** @returns {UiState} */
export const createUiState = () => ({
  view: createView(),
  selection: null,
  hover: null,
  connecting: null,
  ghost: null,
  placing: null,
  band: null,
});

/**
 * Attach the editor to a canvas.
 * @param {object} options
 * @param {HTMLCanvasElement} options.canvas
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {UiState} options.ui
 * @param {import("../core/bus.js").Bus} options.bus  publishes "ui:selection", "ui:hover" (a node id or null) and "ui:redraw"
 * @param {() => boolean} options.editable  false on a read-only page: select only
 * @param {(node: object, clientX: number, clientY: number) => void} options.onContextMenu
 * @param {object} options.catalog  which kinds may connect to which (edges.js)
 * @param {(from: object, to: object) => void} [options.onRefusedEdge]  a wire dropped on a node it cannot reach
 */
export function createEditor({ canvas, store, ui, bus, editable, onContextMenu, catalog, onRefusedEdge = () => {} }) {
  const redraw = () => bus.emit("ui:redraw");

  function local(event) {
    const rect = canvas.getBoundingClientRect();
    const [sx, sy] = [event.clientX - rect.left, event.clientY - rect.top];
    return {
      sx,
      sy,
      inside: sx >= 0 && sy >= 0 && sx <= rect.width && sy <= rect.height,
      world: toWorld(ui.view, sx, sy),
    };
  }

  function select(selection) {
    ui.selection = selection;
    bus.emit("ui:selection", selection);
    redraw();
  }

  function arm(kind) {
    ui.placing = kind;
    if (!kind) ui.ghost = null;
    bus.emit("ui:placing", kind);
    redraw();
  }

  function placeAt(kind, clientX, clientY) {
    const point = local({ clientX, clientY });
    ui.ghost = null;
    if (!point.inside || !editable()) {
      redraw();
      return false;
    }
    const node = store.addNode(kind, point.world.x, point.world.y);
    select({ type: "node", id: node.id });
    return true;
  }

  function previewAt(kind, clientX, clientY) {
    const point = local({ clientX, clientY });
    ui.ghost = point.inside && kind ? { kind, x: snap(point.world.x), y: snap(point.world.y) } : null;
    redraw();
  }

  const ctx = { canvas, store, ui, bus, editable, catalog, local, select, redraw, arm, placeAt, onContextMenu, onRefusedEdge };
  const pointer = createPointer(ctx);
  const commands = createCommands(ctx);
  createCanvasKeys({ ui, commands, pointer, select, arm });
  createPinch({ canvas, view: () => ui.view, setView: commands.setView, onStart: pointer.cancel });
  createClipboard({ copyable: commands.copyable, paste: commands.pasteComponents, editable });

  return {
    select,
    arm,
    placeAt,
    previewAt,
    deleteSelection: commands.deleteSelection,
    /** Stop a drag, a wire or a rubber band in progress. */
    cancel: pointer.cancel,
    zoomBy: commands.zoomBy,
    setView: commands.setView,
    fit: commands.fit,
    actualSize: commands.actualSize,
  };
}
