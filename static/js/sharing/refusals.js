/**
 * What the page says when the server refuses a save: someone saved a newer version (reload
 * theirs or fork), the edit link is not valid (fork), or the document has problems (listed).
 */

import { t } from "../core/i18n.js";
import { ApiError } from "./api.js";

/**
 * @param {object} options
 * @param {import("./saving.js").PageState} options.page
 * @param {ReturnType<import("../core/notify.js").createNotifier>} options.notifier
 * @param {ReturnType<import("../document/problems.js").createProblems>} options.problems
 * @param {HTMLDialogElement} options.conflictDialog  #conflict-dialog
 * @param {() => void} options.fork  save the changes as the person's own copy
 * @param {(version: number, document: object) => void} options.adopt  show a version the server holds
 * @returns {(error: unknown) => void}  takes an error of an API call; rethrows any other
 */
export function createRefusals({ page, notifier, problems, conflictDialog, fork, adopt }) {
  function conflict(body) {
    conflictDialog.querySelector("#conflict-message").textContent = t(
      "Someone saved version {current} after the version {version} you started from. Reload theirs (your changes here are discarded), or save yours as a fork.",
      { current: body.current_version, version: page.version },
    );
    conflictDialog.returnValue = "";
    conflictDialog.showModal();
    conflictDialog.addEventListener(
      "close",
      () => {
        if (conflictDialog.returnValue === "reload") reloadTheirs(body);
        if (conflictDialog.returnValue === "fork") fork();
      },
      { once: true },
    );
  }

  function reloadTheirs(body) {
    adopt(body.current_version, body.document);
    notifier.info(t("Loaded version {version}.", page));
  }

  return function report(error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 409) return conflict(error.body);
    if (error.status === 403) {
      return notifier.error(t("The edit link is not valid for this topology, so it was not saved. Fork it to keep your changes as your own copy."), { action: { label: t("Fork"), run: fork } });
    }
    if (error.problems.length) return problems.show("save", error.message, error.problems);
    notifier.error(error.message);
  };
}
