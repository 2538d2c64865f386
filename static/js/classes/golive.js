/** "Go live": start a class of what is on the canvas and become its teacher. */

import { t } from "../core/i18n.js";

/**
 * @param {object} options
 * @param {HTMLButtonElement} options.button
 * @param {ReturnType<import("../sharing/api.js").createApi>} options.api
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {import("../sharing/saving.js").PageState} options.page
 * @param {ReturnType<import("../sharing/saving.js").createSaving>} options.saving
 * @param {ReturnType<import("../core/notify.js").createNotifier>} options.notifier
 */
export function createGoLive({ button, api, store, page, saving, notifier }) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const started = await api.goLive(store.doc, page.slug);
      // The working copy keeps unsaved edits, so leaving for the class page asks nothing.
      saving.leaveQuietly();
      location.assign(started.teacher_url);
    } catch (error) {
      notifier.error(error.problems?.length ? t("Fix the topology's problems before going live.") : error.message);
      button.disabled = false;
    }
  });
}
