/**
 * The problems area (#problems): what the server found wrong with the document, listed with
 * their paths. Two sources share it: the simulation ("sim") and saving ("save").
 */

/**
 * @param {object} options
 * @param {HTMLElement} options.root  #problems
 * @param {(id: string) => void} options.onNode  a problem naming a node was clicked
 * @param {() => object} options.doc  the current document, to turn "nodes[2]" into a node id
 */
export function createProblems({ root, onNode, doc }) {
  const title = root.querySelector(".problems-title");
  const list = root.querySelector(".problems-list");
  let source = null;

  function nodeOf(path) {
    const match = /^nodes\[(\d+)\]/.exec(path ?? "");
    return match ? (doc().nodes[Number(match[1])]?.id ?? null) : null;
  }

  /**
   * Show a message and its problems.
   * @param {"sim" | "save"} from
   * @param {string} message
   * @param {{path?: string, message: string}[]} problems
   */
  function show(from, message, problems) {
    source = from;
    title.textContent = message;
    list.replaceChildren(
      ...problems.map((problem) => {
        const item = document.createElement("li");
        const path = document.createElement("code");
        path.textContent = problem.path ?? "";
        const text = document.createElement("span");
        text.textContent = problem.message;
        item.append(path, text);
        const id = nodeOf(problem.path);
        if (id) {
          item.classList.add("is-link");
          item.title = `Select ${id}`;
          item.addEventListener("click", () => onNode(id));
        }
        return item;
      }),
    );
    root.hidden = false;
  }

  /**
   * Hide the area if its problems came from that source (or from any, without one).
   * @param {"sim" | "save"} [from]
   */
  function clear(from) {
    if (from && source !== from) return;
    root.hidden = true;
    source = null;
  }

  root.querySelector(".problems-close")?.addEventListener("click", () => clear());
  return {
    show,
    clear,
    get source() {
      return root.hidden ? null : source;
    },
  };
}
