/**
 * Undo and redo of every document edit, as snapshots of the whole document (small JSON).
 * Typing in one field within a second makes one step; a drag counts once, when it ends.
 */

const MERGE_MS = 1000;
const LIMIT = 200;

/**
 * @param {{store: ReturnType<import("./document.js").createDocumentStore>, bus: import("../core/bus.js").Bus}} options
 *   publishes "history:change" {canUndo, canRedo}
 */
export function createHistory({ store, bus }) {
  let current = JSON.stringify(store.doc);
  let past = [];
  let future = [];
  let last = { key: null, at: 0 };
  let restoring = false;

  const announce = () => bus.emit("history:change", { canUndo: past.length > 0, canRedo: future.length > 0 });

  function record(change) {
    if (restoring || (change.kind === "layout" && !change.final)) return;
    const next = JSON.stringify(store.doc);
    if (next === current) return;
    const key = ["props", "label", "title"].includes(change.kind) ? `${change.kind}:${change.target}` : null;
    const now = Date.now();
    if (!key || key !== last.key || now - last.at > MERGE_MS) past = [...past.slice(1 - LIMIT), current];
    last = { key, at: now };
    current = next;
    future = [];
    announce();
  }

  function move(from, to) {
    if (!from.length) return;
    to.push(current);
    current = from.pop();
    last = { key: null, at: 0 };
    restoring = true;
    store.replace(JSON.parse(current));
    restoring = false;
    announce();
  }

  bus.on("doc:change", record);
  return {
    undo: () => move(past, future),
    redo: () => move(future, past),
  };
}
