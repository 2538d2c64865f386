/**
 * Whether the document differs from the version the server holds ("unsaved changes"), and the
 * working copy in localStorage that keeps those changes across a reload.
 */

import { normalizeDocument } from "../document/document.js";
import { workingCopyKey, writeWorkingCopy } from "../core/storage.js";

/**
 * @param {object} options
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {import("./saving.js").PageState} options.page
 * @param {object} options.savedDocument  the document as the server holds it (the starter when new)
 * @param {import("../core/bus.js").Bus} options.bus  publishes "page:dirty"
 * @param {(page: import("./saving.js").PageState) => boolean} options.canEdit
 */
export function createSavedState({ store, page, savedDocument, bus, canEdit }) {
  let savedJson = JSON.stringify(normalizeDocument(savedDocument));
  let wasDirty = null;
  // Switching the language reloads the page; the working copy keeps the changes, so no question.
  let leavingQuietly = false;

  const key = () => workingCopyKey(page.slug, page.version);
  const isDirty = () => JSON.stringify(store.doc) !== savedJson;

  function announceDirty() {
    const dirty = canEdit(page) && isDirty();
    if (dirty !== wasDirty) bus.emit("page:dirty", dirty);
    wasDirty = dirty;
  }

  bus.on("doc:change", (change) => {
    if (change.kind === "layout" && !change.final) return;
    if (canEdit(page)) writeWorkingCopy(key(), store.doc);
    announceDirty();
  });
  window.addEventListener("beforeunload", (event) => {
    if (leavingQuietly || !canEdit(page) || !isDirty()) return;
    event.preventDefault();
    event.returnValue = "";
  });

  return {
    /** The working copy's localStorage key for the version being edited. */
    key,
    isDirty,
    announceDirty,
    /** @param {string} json  the document the server now holds, as JSON */
    markSaved(json) {
      savedJson = json;
      announceDirty();
    },
    /** Leave without the "unsaved changes" question: the working copy keeps them. */
    leaveQuietly: () => (leavingQuietly = true),
  };
}
