/**
 * The share dialog: the view link for everyone and, when this page has it, the secret edit link.
 */

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
 * @param {{dialog: HTMLDialogElement}} options  #share-dialog with #share-note, #view-link, #edit-link, #copy-view, #copy-edit
 */
export function createShareDialog({ dialog }) {
  const viewLink = dialog.querySelector("#view-link");
  const editLink = dialog.querySelector("#edit-link");
  const editRow = dialog.querySelector("#edit-link-row");
  const noteLine = dialog.querySelector("#share-note");

  for (const [button, input] of [
    [dialog.querySelector("#copy-view"), viewLink],
    [dialog.querySelector("#copy-edit"), editLink],
  ]) {
    button.addEventListener("click", async () => {
      const copied = await copyFrom(input);
      button.textContent = copied ? "Copied" : "Select and copy";
      setTimeout(() => (button.textContent = "Copy"), 1800);
    });
  }
  for (const input of [viewLink, editLink]) input.addEventListener("focus", () => input.select());
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
      editLink.value = editUrl ? new URL(editUrl, location.origin).href : "";
      editRow.hidden = !editUrl;
      noteLine.textContent = note;
      noteLine.hidden = !note;
      if (!dialog.open) dialog.showModal();
      viewLink.focus();
    },
  };
}
