/**
 * What the server told the page about itself (data attributes of #app), with the edit link this
 * tab holds for a saved topology.
 */

import { $ } from "../core/dom.js";
import { readEditToken, removeStaleWorkingCopies, writeEditToken } from "../core/storage.js";
import { tokenFromHash } from "./saving.js";

/** @returns {import("./saving.js").PageState} */
export function readPage() {
  const data = $("#app").dataset;
  const page = {
    // An embedded player (another site frames it) is always read-only: it never reads an edit link.
    kind: data.revision ? "revision" : ({ saved: "saved", live: "live", lesson: "lesson", embed: "embed" }[data.page] ?? "new"),
    slug: data.slug ?? "",
    version: data.version ? Number(data.version) : null,
    token: "",
    restoreToken: "",
    forkedFrom: data.forkedFrom ?? "",
    liveCode: data.liveCode ?? "",
  };
  if (page.kind === "saved" || page.kind === "revision") {
    const fromHash = tokenFromHash(location.hash);
    if (fromHash) writeEditToken(page.slug, fromHash);
    const token = fromHash || readEditToken(page.slug);
    // An old version is only looked at; its edit link may restore it, not edit it in place.
    if (page.kind === "revision") page.restoreToken = token;
    else {
      page.token = token;
      removeStaleWorkingCopies(page.slug, page.version);
    }
  }
  return page;
}
