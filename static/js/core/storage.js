/**
 * Where the page keeps things between reloads.
 *
 * localStorage holds one working copy of the document per saved version (or "new"), so a reload
 * keeps unsaved work; the value is the topology document itself. sessionStorage holds the edit
 * token of each saved topology for this tab only. The alert rules a person adds are kept in
 * localStorage per topology (or lesson), beside the document rather than in it: the topology
 * document's contract has no field for them.
 */

const PREFIX = "scale-playground:";

const TAB_DRAFT = `${PREFIX}tab-draft`;

/**
 * This tab's own suffix for its working copies, "" while it shares them with the other tabs.
 * Kept in sessionStorage, so a reload of a tab that went its own way finds its own copy again.
 */
function tabSuffix() {
  try {
    return sessionStorage.getItem(TAB_DRAFT) ?? "";
  } catch {
    return "";
  }
}

/**
 * From now on this tab keeps its working copies under keys of its own: another tab is editing
 * the same draft, and two tabs writing one key would silently overwrite each other's work.
 */
export function splitTabDraft() {
  try {
    sessionStorage.setItem(TAB_DRAFT, `~${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`);
  } catch {
    /* Without sessionStorage the tab still splits until it is reloaded. */
  }
}

/**
 * The localStorage key of a page's working copy (this tab's own, once it has split off).
 * @param {string} slug  "" for a new, unsaved topology
 * @param {number | null} version
 * @returns {string}
 */
export function workingCopyKey(slug, version) {
  return (slug ? `${PREFIX}${slug}@${version}` : `${PREFIX}new`) + tabSuffix();
}

/**
 * Read a working copy; null when there is none or it cannot be read.
 * @param {string} key
 * @returns {object | null}
 */
export function readWorkingCopy(key) {
  try {
    const text = localStorage.getItem(key);
    const document = text ? JSON.parse(text) : null;
    return document && typeof document === "object" && Array.isArray(document.nodes) ? document : null;
  } catch {
    return null;
  }
}

/**
 * Write a working copy. A full or disabled storage only costs the reload safety net.
 * @param {string} key
 * @param {object} document
 */
export function writeWorkingCopy(key, document) {
  try {
    localStorage.setItem(key, JSON.stringify(document));
  } catch {
    /* Storage full or disabled: the page keeps working without the safety net. */
  }
}

/**
 * Move a working copy to another key (after a save gives it a slug or a new version).
 * @param {string} from
 * @param {string} to
 * @param {object} document
 */
export function moveWorkingCopy(from, to, document) {
  removeWorkingCopy(from);
  writeWorkingCopy(to, document);
}

/** @param {string} key */
export function removeWorkingCopy(key) {
  try {
    localStorage.removeItem(key);
  } catch {
    /* Nothing to clean up when storage is disabled. */
  }
}

/**
 * Remove the working copies of other versions of a topology: they were made from a version
 * that is no longer the newest, so they cannot be restored safely. Other tabs' copies of the
 * newest version stay.
 * @param {string} slug
 * @param {number} version  the newest version
 */
export function removeStaleWorkingCopies(slug, version) {
  const current = `${PREFIX}${slug}@${version}`;
  const isCurrent = (key) => key === current || key.startsWith(`${current}~`);
  try {
    const stale = Object.keys(localStorage).filter((key) => key.startsWith(`${PREFIX}${slug}@`) && !isCurrent(key));
    stale.forEach((key) => localStorage.removeItem(key));
  } catch {
    /* Storage disabled: there is nothing stale either. */
  }
}

/**
 * The edit token of a saved topology in this tab, or "".
 * @param {string} slug
 * @returns {string}
 */
export function readEditToken(slug) {
  try {
    return sessionStorage.getItem(`${PREFIX}edit:${slug}`) ?? "";
  } catch {
    return "";
  }
}

/**
 * Remember the edit token of a saved topology for this tab.
 * @param {string} slug
 * @param {string} token
 */
export function writeEditToken(slug, token) {
  try {
    sessionStorage.setItem(`${PREFIX}edit:${slug}`, token);
  } catch {
    /* The token stays in the URL fragment anyway. */
  }
}

/**
 * A one-shot note for the next page in this tab, such as "show the share dialog".
 * @param {string} name
 * @param {string} [value]  writes when given, otherwise reads and forgets
 * @returns {string | null}
 */
export function handOver(name, value) {
  const key = `${PREFIX}handover:${name}`;
  try {
    if (value !== undefined) {
      sessionStorage.setItem(key, value);
      return value;
    }
    const found = sessionStorage.getItem(key);
    sessionStorage.removeItem(key);
    return found;
  } catch {
    return null;
  }
}

/**
 * The localStorage key of a topology's alert rules.
 * @param {string} name  a saved topology's slug, "lesson:<slug>", "live:<code>" or "new"
 */
export const alertRulesKey = (name) => `${PREFIX}alerts:${name}`;

/**
 * The alert rules kept under a key: a list, empty when there is none or it cannot be read.
 * @param {string} key
 * @returns {object[]}
 */
export function readAlertRules(key) {
  try {
    const rules = JSON.parse(localStorage.getItem(key) ?? "[]");
    return Array.isArray(rules) ? rules : [];
  } catch {
    return [];
  }
}

/**
 * Keep alert rules under a key; an empty list removes the key.
 * @param {string} key
 * @param {object[]} rules
 */
export function writeAlertRules(key, rules) {
  try {
    if (rules.length) localStorage.setItem(key, JSON.stringify(rules));
    else localStorage.removeItem(key);
  } catch {
    /* Storage full or disabled: the rules last as long as the page. */
  }
}
