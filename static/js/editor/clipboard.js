/**
 * Copy and paste of components through the system clipboard, so that they travel between tabs
 * and topologies: Ctrl/Cmd+C puts the selected nodes, and the edges between them, on the
 * clipboard as JSON text marked as ours; Ctrl/Cmd+V adds a copy of whatever such text it finds.
 * Text selected on the page, and text fields, keep the browser's own copy and paste.
 *
 * A browser that fires no "paste" event for a page without a text field still pastes what was
 * last copied in this tab.
 */

const MARK = "scale-playground:components";
/** World units between a pasted copy and the one before it. */
const PASTE_OFFSET = 40;

/**
 * @typedef {{nodes: object[], edges: {from: string, to: string}[]}} Components
 */

/** @param {Components} components @returns {string} */
export const encodeComponents = ({ nodes, edges }) => JSON.stringify({ [MARK]: 1, nodes, edges });

/**
 * The components in a clipboard text, or null when it holds something else.
 * @param {string} text
 * @returns {Components | null}
 */
export function decodeComponents(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!data?.[MARK] || !Array.isArray(data.nodes) || !Array.isArray(data.edges)) return null;
  const nodes = data.nodes.filter(
    (node) => typeof node?.id === "string" && typeof node.kind === "string" && Number.isFinite(node.x) && Number.isFinite(node.y),
  );
  const ids = new Set(nodes.map((node) => node.id));
  const edges = data.edges.filter((edge) => ids.has(edge?.from) && ids.has(edge?.to));
  return nodes.length ? { nodes, edges } : null;
}

/** Whether an event belongs to a text field or to text the person selected. */
function textElsewhere(event) {
  const inField = event.target.closest?.("input, textarea, select, [contenteditable], dialog[open]");
  return Boolean(inField) || document.getSelection()?.isCollapsed === false;
}

/**
 * @param {object} options
 * @param {() => Components | null} options.copyable  the selected components, if any
 * @param {(components: Components, offset: number) => void} options.paste
 * @param {() => boolean} options.editable
 */
export function createClipboard({ copyable, paste, editable }) {
  let lastCopied = null;
  let lastPasted = { text: null, times: 0 };
  let pasteEventSeen = false;

  function pasteText(text) {
    const components = decodeComponents(text);
    if (!components) return false;
    lastPasted = { text, times: lastPasted.text === text ? lastPasted.times + 1 : 1 };
    paste(components, PASTE_OFFSET * lastPasted.times);
    return true;
  }

  function onCopy(event) {
    if (textElsewhere(event)) return;
    const components = copyable();
    if (!components) return;
    event.clipboardData.setData("text/plain", encodeComponents(components));
    event.preventDefault();
  }

  function onPaste(event) {
    pasteEventSeen = true;
    if (textElsewhere(event) || !editable()) return;
    if (pasteText(event.clipboardData.getData("text/plain"))) event.preventDefault();
  }

  // The browser fires "copy" or "paste" right after the key's own handlers; a timer runs after.
  function onKeyDown(event) {
    const key = event.key.toLowerCase();
    if (!(event.ctrlKey || event.metaKey) || event.altKey || !["c", "v"].includes(key) || textElsewhere(event)) return;
    if (key === "c") {
      const components = copyable();
      if (components) [lastCopied, lastPasted] = [encodeComponents(components), { text: null, times: 0 }];
      return;
    }
    if (!editable()) return;
    pasteEventSeen = false;
    setTimeout(() => {
      if (!pasteEventSeen && lastCopied) pasteText(lastCopied);
    });
  }

  document.addEventListener("copy", onCopy);
  document.addEventListener("paste", onPaste);
  window.addEventListener("keydown", onKeyDown);
}
