/**
 * After a class ends, its page is not a dead end: the teacher (or a student) takes the class's
 * design along, either as this tab's unsaved draft on "/" or saved as a topology of their own.
 */

import { t } from "../core/i18n.js";
import { handOver, splitTabDraft, workingCopyKey, writeWorkingCopy } from "../core/storage.js";

/**
 * @param {object} options
 * @param {import("../core/bus.js").Bus} options.bus  listens to "live:ended"
 * @param {{doc: object}} options.store  holds the class's design as the class last ran it
 * @param {ReturnType<import("../sharing/api.js").createApi>} options.api
 * @param {ReturnType<import("../core/notify.js").createNotifier>} options.notifier
 * @param {{box: HTMLElement, keepEditing: HTMLButtonElement, save: HTMLButtonElement}} options.elements
 */
export function createClassEnd({ bus, store, api, notifier, elements }) {
  bus.on("live:ended", () => {
    elements.box.hidden = false;
  });

  elements.keepEditing.addEventListener("click", () => {
    // A draft of this tab's own: an unsaved draft another tab keeps on "/" stays as it was.
    splitTabDraft();
    writeWorkingCopy(workingCopyKey("", null), store.doc);
    location.assign("/");
  });

  elements.save.addEventListener("click", async () => {
    elements.save.disabled = true;
    try {
      const saved = await api.create(store.doc);
      // The new page shows the links at once: the edit link is given only this one time.
      handOver("forked", store.doc.title || t("the class's design"));
      location.assign(saved.edit_url);
    } catch (error) {
      notifier.error(error.message);
      elements.save.disabled = false;
    }
  });
}
