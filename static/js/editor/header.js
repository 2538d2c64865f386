/**
 * The page's header: the title, the mode (editing or read-only), the "unsaved" note, the
 * browser tab's title, and the Undo and Redo buttons.
 */

import { $ } from "../core/dom.js";
import { t } from "../core/i18n.js";

/**
 * @param {object} options
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {import("../sharing/saving.js").PageState} options.page
 * @param {import("../core/bus.js").Bus} options.bus  listens to "page:changed", "page:dirty" and "doc:change"
 * @param {() => boolean} options.editable
 * @param {{refresh: () => void}} options.panel  shown again when the mode changes
 */
export function createHeader({ store, page, bus, editable, panel }) {
  const title = $("#title");
  const saveState = $("#save-state");
  title.value = store.doc.title;
  title.addEventListener("input", () => store.setTitle(title.value));
  title.addEventListener("keydown", (event) => {
    if (event.key === "Enter") title.blur();
  });

  function applyMode() {
    const canWrite = editable();
    document.body.classList.toggle("is-read-only", !canWrite);
    title.readOnly = !canWrite;
    // A lesson changed in place is never saved: "Open as a topology" saves a copy.
    $("#save").hidden = !canWrite || page.kind === "lesson";
    $("#fork").hidden = page.kind !== "saved";
    $("#palette").hidden = !canWrite;
    $("#read-only-note").hidden = canWrite || page.kind === "live";
    const origin = $("#forked-from");
    if (origin) origin.hidden = !page.forkedFrom;
    panel.refresh();
    showTitle();
  }

  function showTitle() {
    document.title = `${store.doc.title.trim() || t("Untitled topology")} · Scale Playground`;
  }

  function showSaveState(dirty) {
    saveState.textContent = dirty ? t("Unsaved changes") : page.kind === "saved" ? t("Saved · v{version}", page) : "";
    saveState.dataset.dirty = String(dirty);
  }

  bus.on("page:changed", applyMode);
  bus.on("page:dirty", showSaveState);
  // A save that changed only the description or the history note leaves "dirty" as it was.
  bus.on("page:changed", () => showSaveState(saveState.dataset.dirty === "true"));
  bus.on("doc:change", (change) => {
    if (change.kind === "replace") title.value = store.doc.title;
    if (change.kind === "title" || change.kind === "replace") showTitle();
  });
  applyMode();
}

/**
 * The Undo and Redo buttons, enabled when there is something to undo or redo.
 * @param {{undo: HTMLButtonElement, redo: HTMLButtonElement, history: ReturnType<import("../document/history.js").createHistory>,
 *          bus: import("../core/bus.js").Bus}} options
 */
export function createUndoButtons({ undo, redo, history, bus }) {
  undo.addEventListener("click", history.undo);
  redo.addEventListener("click", history.redo);
  bus.on("history:change", ({ canUndo, canRedo }) => {
    undo.disabled = !canUndo;
    redo.disabled = !canRedo;
  });
}
