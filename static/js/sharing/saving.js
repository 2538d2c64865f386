/**
 * Saving and sharing: create, save a new version, fork, the share dialog, the working copy in
 * localStorage and the "unsaved changes" state.
 *
 * The page is either new (no slug) or a saved topology; a saved one is editable only with its
 * edit token, which comes from the URL fragment (#edit=...) and never goes to the server except
 * as the X-Edit-Token header of a save.
 */

import { t } from "../core/i18n.js";
import { handOver, moveWorkingCopy, removeWorkingCopy, writeEditToken, writeWorkingCopy } from "../core/storage.js";
import { createRefusals } from "./refusals.js";
import { createSavedState } from "./savedstate.js";


/**
 * @typedef {object} PageState
 * @property {"new" | "saved" | "revision" | "live"} kind  "revision": an old version, read-only
 * @property {string} [restoreToken]  the edit token on a "revision" page, which may restore but not edit
 * @property {string} slug  "" when new
 * @property {number | null} version  the saved version this document was edited from
 * @property {string} token  the edit token, "" when this page may not save
 * @property {string} forkedFrom
 */

/**
 * Whether the page may change the document (a new topology, or a saved one with its token).
 * @param {PageState} page
 */
export const canEdit = (page) => page.kind === "new" || Boolean(page.token);

/**
 * The edit token in a URL fragment such as "#edit=abc", or "".
 * @param {string} hash
 */
export const tokenFromHash = (hash) => new URLSearchParams(hash.replace(/^#/, "")).get("edit") ?? "";

/**
 * @param {object} options
 * @param {ReturnType<import("./api.js").createApi>} options.api
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {PageState} options.page  changed in place when a save gives the page a slug
 * @param {object} options.savedDocument  the document as the server holds it (the starter when new)
 * @param {import("../core/bus.js").Bus} options.bus  publishes "page:changed" and "page:dirty"
 * @param {ReturnType<import("../core/notify.js").createNotifier>} options.notifier
 * @param {ReturnType<import("../document/problems.js").createProblems>} options.problems
 * @param {ReturnType<import("./share.js").createShareDialog>} options.share
 * @param {HTMLDialogElement} options.conflictDialog  #conflict-dialog
 * @param {{save: HTMLButtonElement, share: HTMLButtonElement, fork: HTMLButtonElement}} options.buttons
 */
export function createSaving({
  api,
  store,
  page,
  savedDocument,
  bus,
  notifier,
  problems,
  share,
  conflictDialog,
  buttons,
}) {
  let busy = false;
  const saved = createSavedState({ store, page, savedDocument, bus, canEdit });
  const { key, isDirty, markSaved } = saved;
  const report = createRefusals({ page, notifier, problems, conflictDialog, fork, adopt });

  async function withBusy(button, label, work) {
    if (busy) return;
    busy = true;
    const text = button.textContent;
    button.disabled = true;
    button.textContent = label;
    try {
      await work();
      return true;
    } catch (error) {
      report(error);
      return false;
    } finally {
      busy = false;
      button.disabled = false;
      button.textContent = text;
    }
  }

  /**
   * Save: a new topology gets its links, a saved one its next version.
   * @param {{message?: string, description?: string}} [extra]  a note for the history, a new description
   * @returns {Promise<boolean | undefined>} whether it was saved
   */
  function save(extra = {}) {
    if (!canEdit(page)) return fork();
    return withBusy(buttons.save, t("Saving…"), page.kind === "new" ? create : () => update(extra));
  }

  /**
   * Bring back an old version as the newest one; nothing is overwritten.
   * @param {number} number
   * @returns {Promise<boolean>}
   */
  function restore(number) {
    const token = page.token || page.restoreToken;
    if (!token) return Promise.resolve(false);
    if (page.kind === "saved" && isDirty() && !confirm(t("Restoring discards your unsaved changes here. Go on?"))) {
      return Promise.resolve(false);
    }
    return withBusy(buttons.save, t("Saving…"), async () => {
      const result = await api.restore(page.slug, token, number, page.version);
      if (page.kind === "revision") {
        saved.leaveQuietly();
        location.assign(`/t/${encodeURIComponent(page.slug)}/`);
        return;
      }
      adopt(result.version, result.document);
      notifier.info(t("Restored version {number} as version {version}.", { number, version: result.version }));
    });
  }

  /**
   * Save the description with the document, and list or unlist it in the gallery.
   * @param {string} description
   * @param {boolean} published
   */
  function saveAbout(description, published) {
    return withBusy(buttons.save, t("Saving…"), async () => {
      await update({ description });
      await api.publish(page.slug, page.token, published);
    });
  }

  async function create() {
    const json = JSON.stringify(store.doc);
    const result = await api.create(store.doc);
    const before = key();
    Object.assign(page, { kind: "saved", slug: result.slug, version: result.version, token: result.edit_token });
    writeEditToken(page.slug, page.token);
    moveWorkingCopy(before, key(), store.doc);
    history.replaceState(null, "", result.edit_url);
    problems.clear("save");
    markSaved(json);
    bus.emit("page:changed", page);
    share.open({ viewUrl: result.view_url, editUrl: result.edit_url, note: t("Saved. These are its links.") });
  }

  async function update(extra = {}) {
    const json = JSON.stringify(store.doc);
    const result = await api.update(page.slug, page.token, store.doc, page.version, extra);
    const before = key();
    page.version = result.version;
    moveWorkingCopy(before, key(), store.doc);
    problems.clear("save");
    markSaved(json);
    bus.emit("page:changed", page);
    notifier.info(t("Saved as version {version}.", page));
  }

  function fork() {
    return withBusy(buttons.fork, t("Forking…"), async () => {
      const result = await api.fork(page.slug, store.doc);
      writeEditToken(result.slug, result.edit_token);
      removeWorkingCopy(key());
      handOver("forked", page.slug);
      markSaved(JSON.stringify(store.doc));
      location.assign(result.edit_url);
    });
  }

  /** Show a version the server holds as this page's saved state, dropping the working copy. */
  function adopt(version, document) {
    removeWorkingCopy(key());
    page.version = version;
    store.replace(document);
    markSaved(JSON.stringify(store.doc));
    writeWorkingCopy(key(), store.doc);
    bus.emit("page:changed", page);
  }

  /**
   * Show the links; a new topology is saved first, since only a saved one has links.
   * @param {string} [note]  a line shown above the links
   */
  function openShare(note = "") {
    if (page.kind === "new") return save();
    const viewUrl = `/t/${page.slug}/`;
    share.open({ viewUrl, editUrl: page.token ? `${viewUrl}#edit=${page.token}` : null, note });
  }

  window.addEventListener("keydown", (event) => {
    if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      if (canEdit(page)) save();
    }
  });
  buttons.save.addEventListener("click", () => save());
  buttons.fork.addEventListener("click", fork);
  buttons.share.addEventListener("click", () => openShare());
  saved.announceDirty();

  return {
    save,
    restore,
    saveAbout,
    fork,
    /** Whether this page may save a new version (a saved topology with its edit link). */
    canSave: () => page.kind === "saved" && canEdit(page),
    /** Whether this page may restore old versions. */
    canRestore: () => Boolean(page.token || page.restoreToken),
    openShare,
    isDirty,
    leaveQuietly: saved.leaveQuietly,
  };
}
