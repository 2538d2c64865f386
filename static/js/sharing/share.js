/**
 * The share dialog: the view link for everyone and, when this page has it, the secret edit link.
 */

import { t } from "../core/i18n.js";

/**
 * Copy text to the clipboard: the Clipboard API where the page may use it, else by selecting
 * the input and the old copy command.
 * @param {HTMLInputElement} input  holds the text
 * @returns {Promise<boolean>}
 */
export async function copyFrom(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    input.focus();
    input.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
}

/**
 * The <iframe> that plays a saved topology on another site (the server's player at …/embed/),
 * at the size the oEmbed answer offers (playground/front/embed.py).
 * @param {string} viewUrl  the absolute view link, …/t/<slug>/
 * @param {string} title
 */
export function embedSnippet(viewUrl, title) {
  const src = new URL("embed/", viewUrl.endsWith("/") ? viewUrl : `${viewUrl}/`).href;
  const escape = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const name = escape(title || t("Untitled topology"));
  return `<iframe src="${escape(src)}" width="960" height="540" title="${name}" style="border:0;border-radius:8px" loading="lazy" allow="fullscreen"></iframe>`;
}

/**
 * @param {object} options
 * @param {HTMLDialogElement} options.dialog  #share-dialog with #share-note, #view-link, #edit-link, #copy-view,
 *   #copy-edit, and #about-row (#description, #published, #about-save)
 * @param {(description: string, published: boolean) => void} [options.onSaveAbout]  save description and listing
 */
export function createShareDialog({ dialog, onSaveAbout = () => {} }) {
  const aboutRow = dialog.querySelector("#about-row");
  const description = dialog.querySelector("#description");
  const published = dialog.querySelector("#published");
  dialog.querySelector("#about-save").addEventListener("click", () => onSaveAbout(description.value, published.checked));
  const viewLink = dialog.querySelector("#view-link");
  const embedCode = dialog.querySelector("#embed-code");
  const editLink = dialog.querySelector("#edit-link");
  const editRow = dialog.querySelector("#edit-link-row");
  const noteLine = dialog.querySelector("#share-note");

  for (const [button, input] of [
    [dialog.querySelector("#copy-view"), viewLink],
    [dialog.querySelector("#copy-edit"), editLink],
    [dialog.querySelector("#copy-embed"), embedCode],
  ]) {
    button.addEventListener("click", async () => {
      const copied = await copyFrom(input);
      button.textContent = copied ? t("Copied") : t("Select and copy");
      setTimeout(() => (button.textContent = t("Copy")), 1800);
    });
  }
  for (const input of [viewLink, editLink, embedCode]) input.addEventListener("focus", () => input.select());
  dialog.querySelectorAll("[data-close]").forEach((button) => button.addEventListener("click", () => dialog.close()));
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });

  return {
    /**
     * Show the links (paths or absolute URLs; paths are made absolute on this origin).
     * @param {{viewUrl: string, editUrl?: string | null, note?: string}} links  note: a line above them
     */
    open({ viewUrl, editUrl = null, note = "" }) {
      viewLink.value = new URL(viewUrl, location.origin).href;
      embedCode.value = embedSnippet(viewLink.value, document.querySelector("#title")?.value ?? "");
      editLink.value = editUrl ? new URL(editUrl, location.origin).href : "";
      editRow.hidden = !editUrl;
      aboutRow.hidden = !editUrl;
      noteLine.textContent = note;
      noteLine.hidden = !note;
      if (!dialog.open) dialog.showModal();
      viewLink.focus();
    },
  };
}
