/**
 * The palette of components. An entry is dragged onto the canvas with pointer events (mouse,
 * touch and pen alike), or clicked to arm it and placed by the next click on the canvas.
 */

import { t } from "../core/i18n.js";
import { iconSvg, kindColor } from "../canvas/icons.js";

/** Pointer travel, in CSS pixels, before a press on an entry becomes a drag. */
const DRAG_THRESHOLD = 4;

/**
 * The kinds the palette offers: those of the catalog that the engine simulates, in catalog order.
 * @param {object} catalog
 * @returns {[string, object][]}
 */
export const paletteKinds = (catalog) => Object.entries(catalog.kinds ?? {}).filter(([, spec]) => spec.simulated);

/**
 * Build the palette.
 * @param {object} options
 * @param {HTMLElement} options.list  the element the entries go into
 * @param {object} options.catalog
 * @param {ReturnType<import("./editor.js").createEditor>} options.editor
 * @param {import("../core/bus.js").Bus} options.bus  listens to "ui:placing" to show the armed entry
 */
export function createPalette({ list, catalog, editor, bus }) {
  let press = null;
  let chip = null;
  let armed = null;
  // A drag that ends back on its own entry also fires "click"; it must not arm the entry.
  let lastDrop = 0;

  for (const [kind, spec] of paletteKinds(catalog)) list.append(entry(kind, spec));

  function entry(kind, spec) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "palette-item";
    button.dataset.kind = kind;
    button.setAttribute("aria-pressed", "false");
    button.title = t("Drag {name} onto the canvas, or click it and then click the canvas", { name: spec.label });
    const tile = document.createElement("span");
    tile.className = "palette-icon";
    tile.style.setProperty("--kind-color", kindColor(kind));
    tile.append(iconSvg(kind, 18));
    const label = document.createElement("span");
    label.className = "palette-label";
    label.textContent = spec.label ?? kind;
    button.append(tile, label);
    button.addEventListener("pointerdown", (event) => onPointerDown(event, kind));
    button.addEventListener("click", () => onClick(kind));
    return button;
  }

  function onPointerDown(event, kind) {
    if (event.button !== 0) return;
    press = { kind, x: event.clientX, y: event.clientY, dragging: false };
    window.addEventListener("pointermove", onPointerMove);
    window.addEventListener("pointerup", onPointerUp);
    window.addEventListener("pointercancel", onPointerCancel);
    window.addEventListener("keydown", onKeyDown);
  }

  /** Escape drops the component being dragged without placing it. */
  function onKeyDown(event) {
    if (event.key === "Escape" && press) onPointerCancel();
  }

  function onPointerMove(event) {
    if (!press) return;
    if (!press.dragging && Math.hypot(event.clientX - press.x, event.clientY - press.y) < DRAG_THRESHOLD) return;
    if (!press.dragging) startDrag();
    event.preventDefault();
    moveChip(event.clientX, event.clientY);
    editor.previewAt(press.kind, event.clientX, event.clientY);
  }

  function startDrag() {
    press.dragging = true;
    editor.arm(null);
    chip = document.createElement("div");
    chip.className = "palette-chip";
    chip.style.setProperty("--kind-color", kindColor(press.kind));
    chip.append(iconSvg(press.kind, 16), catalog.kinds[press.kind]?.label ?? press.kind);
    document.body.append(chip);
    document.body.classList.add("is-dragging-component");
  }

  function moveChip(x, y) {
    chip.style.transform = `translate(${x + 12}px, ${y + 12}px)`;
    const overCanvas = document.elementFromPoint(x, y)?.id === "canvas";
    chip.classList.toggle("over-canvas", overCanvas);
  }

  function onPointerUp(event) {
    const finished = press;
    stop();
    if (finished?.dragging) {
      lastDrop = Date.now();
      editor.placeAt(finished.kind, event.clientX, event.clientY);
    }
  }

  function onPointerCancel() {
    stop();
    editor.previewAt(null, 0, 0);
  }

  function stop() {
    press = null;
    chip?.remove();
    chip = null;
    document.body.classList.remove("is-dragging-component");
    window.removeEventListener("pointermove", onPointerMove);
    window.removeEventListener("pointerup", onPointerUp);
    window.removeEventListener("pointercancel", onPointerCancel);
    window.removeEventListener("keydown", onKeyDown);
  }

  function onClick(kind) {
    if (Date.now() - lastDrop < 300) return;
    editor.arm(armed === kind ? null : kind);
  }

  bus.on("ui:placing", (kind) => {
    armed = kind;
    for (const button of list.querySelectorAll(".palette-item")) {
      button.setAttribute("aria-pressed", String(button.dataset.kind === kind));
    }
  });
}
