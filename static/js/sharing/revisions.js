/**
 * The history of a saved topology: every version with its time and note, a way to look at an old
 * one (read-only, at ?revision=N) and, with the edit link, to restore it as the newest version.
 */

import { t } from "../core/i18n.js";

/**
 * "3 minutes ago" in the page's language.
 * @param {string} iso  an ISO 8601 time
 * @param {number} [now]  milliseconds since the epoch
 */
export function timeAgo(iso, now = Date.now()) {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(document.documentElement.lang || "en", { numeric: "auto" });
  for (const [unit, size] of [
    ["year", 31536000],
    ["month", 2592000],
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
  ]) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(seconds, "second");
}

/**
 * @param {object} options
 * @param {HTMLDialogElement} options.dialog  #history-dialog with #revision-list and #save-note-form
 * @param {HTMLButtonElement} options.open  the History button
 * @param {ReturnType<import("./api.js").createApi>} options.api
 * @param {import("./saving.js").PageState} options.page
 * @param {ReturnType<import("./saving.js").createSaving>} options.saving
 * @param {import("../core/bus.js").Bus} options.bus
 */
export function createRevisions({ dialog, open, api, page, saving, bus }) {
  const list = dialog.querySelector("#revision-list");
  const noteForm = dialog.querySelector("#save-note-form");
  const note = dialog.querySelector("#save-note");

  function item(revision) {
    const row = document.createElement("li");
    row.className = "revision";
    row.dataset.version = String(revision.version);
    const head = document.createElement("div");
    head.className = "revision-head";
    const number = document.createElement("strong");
    number.textContent = t("Version {version}", revision);
    const when = document.createElement("time");
    when.dateTime = revision.created_at;
    when.title = new Date(revision.created_at).toLocaleString();
    when.textContent = timeAgo(revision.created_at);
    head.append(number, when);
    const message = document.createElement("p");
    message.className = "revision-message";
    message.textContent = revision.message || revision.title || "";
    const actions = document.createElement("div");
    actions.className = "revision-actions";
    if (revision.version === page.version) {
      const current = document.createElement("span");
      current.className = "pill pill-muted";
      current.textContent = t("Newest");
      actions.append(current);
    } else {
      const view = document.createElement("a");
      view.className = "btn";
      view.href = `/t/${encodeURIComponent(page.slug)}/?revision=${revision.version}`;
      view.textContent = t("View");
      actions.append(view);
      if (saving.canRestore()) {
        const restore = document.createElement("button");
        restore.type = "button";
        restore.className = "btn";
        restore.textContent = t("Restore");
        restore.setAttribute("aria-label", t("Restore version {version}", revision));
        restore.addEventListener("click", async () => {
          if (await saving.restore(revision.version)) refresh();
        });
        actions.append(restore);
      }
    }
    row.append(head, message, actions);
    return row;
  }

  /** The server sends the history in pages: a button at the end of the list asks for the next. */
  function olderButton(next) {
    const row = document.createElement("li");
    row.className = "revision-more";
    const more = document.createElement("button");
    more.type = "button";
    more.className = "btn";
    more.textContent = t("Show older versions");
    more.addEventListener("click", () => load(next, row));
    row.append(more);
    return row;
  }

  /**
   * Show a page of the history: the newest (next null) instead of the list, or an older one in
   * place of the button that asked for it.
   * @param {string | null} next
   * @param {HTMLLIElement | null} [asked]
   */
  async function load(next, asked = null) {
    list.setAttribute("aria-busy", "true");
    try {
      const { revisions, next: older } = await api.revisions(page.slug, next);
      const rows = revisions.map(item);
      if (older) rows.push(olderButton(older));
      if (asked) asked.replaceWith(...rows);
      else list.replaceChildren(...rows);
    } catch (error) {
      const failed = document.createElement("li");
      failed.className = "revision-error";
      failed.textContent = error.message;
      if (asked) asked.replaceWith(failed);
      else list.replaceChildren(failed);
    } finally {
      list.removeAttribute("aria-busy");
    }
  }

  const refresh = () => load(null);

  function show() {
    noteForm.hidden = !saving.canSave();
    refresh();
    if (!dialog.open) dialog.showModal();
  }

  noteForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await saving.save({ message: note.value.trim() })) {
      note.value = "";
      refresh();
    }
  });
  dialog.querySelectorAll("[data-close]").forEach((button) => button.addEventListener("click", () => dialog.close()));
  open.addEventListener("click", show);
  bus.on("page:changed", () => (open.hidden = !page.slug || page.kind === "live"));
  open.hidden = !page.slug || page.kind === "live";

  return { show, refresh };
}

/**
 * On an old version: restore it with the edit link of this tab, if there is one.
 * @param {{button: HTMLButtonElement, number: number, saving: ReturnType<import("./saving.js").createSaving>}} options
 */
export function createRevisionBanner({ button, number, saving }) {
  button.hidden = !saving.canRestore();
  button.addEventListener("click", () => saving.restore(number));
}
