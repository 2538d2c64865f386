/**
 * Two tabs on the same draft. Both write the working copy under one localStorage key, so without
 * care each reload brings back whichever tab wrote last, and the other's work is silently lost.
 * The storage event tells a tab when another one wrote its key: the tab then goes its own way
 * (its working copy gets a key of its own) and says so, with a way to take the other tab's
 * version instead.
 */

import { t } from "../core/i18n.js";
import { normalizeDocument } from "../document/document.js";
import { splitTabDraft, workingCopyKey, writeWorkingCopy } from "../core/storage.js";

/**
 * @param {object} options
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {import("./saving.js").PageState} options.page
 * @param {() => boolean} options.editable  whether this page keeps a working copy at all
 * @param {ReturnType<import("../core/notify.js").createNotifier>} options.notifier
 */
export function createTabDrafts({ store, page, editable, notifier }) {
  window.addEventListener("storage", (event) => {
    if (event.storageArea !== localStorage || !editable()) return;
    if (event.key !== workingCopyKey(page.slug, page.version) || event.newValue === null) return;
    if (event.newValue === JSON.stringify(store.doc)) return;
    splitTabDraft();
    writeWorkingCopy(workingCopyKey(page.slug, page.version), store.doc);
    const theirs = event.newValue;
    notifier.info(t("This draft was changed in another tab. This tab now keeps its own copy, so neither overwrites the other."), {
      timeout: 0,
      action: { label: t("Take the other tab's version"), run: () => store.replace(normalizeDocument(JSON.parse(theirs))) },
    });
  });
}
