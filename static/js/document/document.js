/**
 * The topology document (SPEC, version 1) and every edit made to it.
 *
 * The store owns the one working copy. Each edit changes it in place and publishes
 * "doc:change" on the bus with {kind, ...}:
 *   kind "structure"  nodes or edges were added or removed (the simulation must be reloaded)
 *   kind "props"      {target, props}: a node's props or the traffic ("traffic") changed
 *   kind "layout"     {final}: a node moved; final is false while it is still being dragged
 *   kind "label" | "title"  text that the simulation does not read
 *   kind "replace"    the whole document was replaced (a reload or a newer saved version)
 */

import { BOX_DEFAULT, BOX_MIN, BOX_STEP, boxAt, isBox } from "./geometry.js";
import { unstack } from "./stacking.js";

/** Grid of the canvas in world units; nodes snap their centre to it. */
export const GRID = 20;

/**
 * Snap a world coordinate to the grid.
 * @param {number} value
 * @returns {number}
 */
export const snap = (value) => Math.round(value / GRID) * GRID;

/**
 * A complete version-1 document from whatever was stored: missing lists and tables become empty,
 * unknown fields are kept as they are.
 * @param {any} raw
 * @returns {object}
 */
export function normalizeDocument(raw) {
  const doc = raw && typeof raw === "object" ? structuredClone(raw) : {};
  return {
    ...doc,
    version: doc.version ?? 1,
    title: typeof doc.title === "string" ? doc.title : "",
    traffic: doc.traffic && typeof doc.traffic === "object" ? doc.traffic : {},
    nodes: Array.isArray(doc.nodes) ? doc.nodes : [],
    edges: Array.isArray(doc.edges) ? doc.edges : [],
    scenario: Array.isArray(doc.scenario) ? doc.scenario : [],
  };
}

/**
 * The next free id for a kind: its prefix (the catalog's `id_prefix`; a kind the catalog does not
 * know uses its name without "_") and the smallest number not taken ("web1", "web3").
 * @param {object} catalog
 * @param {object} doc
 * @param {string} kind
 * @returns {string}
 */
export function nextNodeId(catalog, doc, kind) {
  const prefix = catalog.kinds?.[kind]?.id_prefix ?? kind.replace(/_/g, "");
  const taken = new Set(doc.nodes.map((node) => node.id));
  let number = 1;
  while (taken.has(`${prefix}${number}`)) number += 1;
  return `${prefix}${number}`;
}

/**
 * The default props of a kind, from the catalog.
 * @param {object} catalog
 * @param {string} kind
 * @returns {Record<string, any>}
 */
export function defaultProps(catalog, kind) {
  const props = catalog.kinds?.[kind]?.props ?? {};
  return Object.fromEntries(Object.entries(props).map(([name, spec]) => [name, spec.default]));
}

/**
 * Put each component in the data center whose box holds its centre (its `dc`), or in none. Users
 * stay outside: they have a region, not a building. Changes the document in place.
 * @param {object} doc
 * @returns {boolean} whether any component changed data center
 */
export function placeInDataCenters(doc) {
  let changed = false;
  for (const node of doc.nodes) {
    if (isBox(node) || node.kind === "users") continue;
    const dc = boxAt(doc.nodes, node.x, node.y)?.id;
    if (dc && node.dc !== dc) node.dc = dc;
    else if (!dc && "dc" in node) delete node.dc;
    else continue;
    changed = true;
  }
  return changed;
}

/**
 * The ids of the components sitting in these data centers.
 * @param {object} doc
 * @param {string[]} ids
 */
export const membersOf = (doc, ids) => doc.nodes.filter((node) => node.dc && ids.includes(node.dc)).map((node) => node.id);

/** @param {object} doc @param {string} id */
export const findNode = (doc, id) => doc.nodes.find((node) => node.id === id) ?? null;

/**
 * The ids of the selected nodes.
 * @param {object | null} selection  {type: "node", id}, {type: "nodes", ids}, an edge or null
 * @returns {string[]}
 */
export const selectedIds = (selection) =>
  selection?.type === "node" ? [selection.id] : selection?.type === "nodes" ? selection.ids : [];

/** The text shown for a node: its label, else its id. @param {object} node */
export const nodeName = (node) => node.label || node.id;

/**
 * Create the store of the working document.
 * @param {{document: object, catalog: object, bus: import("../core/bus.js").Bus}} options
 */
export function createDocumentStore({ document, catalog, bus }) {
  let doc = normalizeDocument(document);
  const changed = (change) => bus.emit("doc:change", change);

  return {
    /** The current document (read it, change it only through the store). */
    get doc() {
      return doc;
    },

    /**
     * Add a node of a kind centred at a world point (snapped), with the catalog's defaults.
     * @param {string} kind
     * @param {number} x
     * @param {number} y
     * @returns {object} the new node
     */
    addNode(kind, x, y) {
      const node = { id: nextNodeId(catalog, doc, kind), kind, x: snap(x), y: snap(y), props: defaultProps(catalog, kind) };
      if (isBox(node)) Object.assign(node, BOX_DEFAULT);
      doc.nodes.push(node);
      unstack(doc, [node.id]);
      placeInDataCenters(doc);
      changed({ kind: "structure" });
      return node;
    },

    /**
     * Move several nodes at once (one change), each centre snapped to the grid.
     * @param {[string, number, number][]} moves  [id, x, y]
     * @param {boolean} final  false while a drag is still going on
     */
    moveNodes(moves, final) {
      for (const [id, x, y] of moves) Object.assign(findNode(doc, id) ?? {}, { x: snap(x), y: snap(y) });
      if (final) unstack(doc);
      // Where a move ends, the components it dropped into (or out of) a data center change `dc`:
      // the engine simulates that, so it is a structural change.
      changed(final && placeInDataCenters(doc) ? { kind: "structure" } : { kind: "layout", final });
    },

    /**
     * Resize a data-center box by its bottom-right corner (the top-left stays put), snapped to the grid.
     * @param {string} id
     * @param {number} right  world x of the new right side
     * @param {number} bottom  world y of the new bottom side
     * @param {boolean} final  false while the grip is still being dragged
     */
    resizeBox(id, right, bottom, final) {
      const node = findNode(doc, id);
      if (!node || !isBox(node)) return;
      const [left, top] = [node.x - node.width / 2, node.y - node.height / 2];
      const step = (value) => Math.round(value / BOX_STEP) * BOX_STEP;
      const width = Math.max(BOX_MIN.width, step(right - left));
      const height = Math.max(BOX_MIN.height, step(bottom - top));
      Object.assign(node, { width, height, x: left + width / 2, y: top + height / 2 });
      changed(final && placeInDataCenters(doc) ? { kind: "structure" } : { kind: "layout", final });
    },

    /** Delete a node and every edge touching it. @param {string} id */
    deleteNode(id) {
      this.deleteNodes([id]);
    },

    /** Delete nodes and every edge touching them, as one edit. @param {string[]} ids */
    deleteNodes(ids) {
      const gone = new Set(ids.filter((id) => findNode(doc, id)));
      if (!gone.size) return;
      doc.nodes = doc.nodes.filter((node) => !gone.has(node.id));
      doc.edges = doc.edges.filter((edge) => !gone.has(edge.from) && !gone.has(edge.to));
      placeInDataCenters(doc);
      changed({ kind: "structure" });
    },

    /**
     * Add copies of nodes (fresh ids, moved by an offset) and of the edges between them, as one edit.
     * @param {object[]} nodes
     * @param {{from: string, to: string}[]} edges
     * @param {number} offset  world units added to x and y
     * @returns {string[]} the new ids
     */
    paste(nodes, edges, offset) {
      const ids = new Map();
      for (const node of nodes) {
        const copy = { ...structuredClone(node), id: nextNodeId(catalog, doc, node.kind) };
        Object.assign(copy, { x: snap(node.x + offset), y: snap(node.y + offset) });
        ids.set(node.id, copy.id);
        doc.nodes.push(copy);
      }
      for (const edge of edges) doc.edges.push({ ...edge, from: ids.get(edge.from), to: ids.get(edge.to) });
      unstack(doc, ids.values());
      placeInDataCenters(doc);
      changed({ kind: "structure" });
      return [...ids.values()];
    },

    /**
     * Connect two nodes. Self-loops and duplicates are refused silently.
     * @param {string} from
     * @param {string} to
     * @returns {boolean} whether an edge was added
     */
    addEdge(from, to) {
      const exists = doc.edges.some((edge) => edge.from === from && edge.to === to);
      if (from === to || exists || !findNode(doc, from) || !findNode(doc, to)) return false;
      doc.edges.push({ from, to });
      changed({ kind: "structure" });
      return true;
    },

    /** Delete the edge from one node to another. @param {string} from @param {string} to */
    deleteEdge(from, to) {
      const before = doc.edges.length;
      doc.edges = doc.edges.filter((edge) => !(edge.from === from && edge.to === to));
      if (doc.edges.length !== before) changed({ kind: "structure" });
    },

    /** Set or clear (empty text) a node's label. @param {string} id @param {string} label */
    setLabel(id, label) {
      const node = findNode(doc, id);
      if (!node) return;
      if (label) node.label = label;
      else delete node.label;
      changed({ kind: "label", target: id });
    },

    /**
     * Change props of a node, or of the traffic when target is "traffic".
     * @param {string} target
     * @param {Record<string, any>} props
     */
    setProps(target, props) {
      const owner = target === "traffic" ? doc : findNode(doc, target);
      if (!owner) return;
      if (target === "traffic") doc.traffic = { ...doc.traffic, ...props };
      else owner.props = { ...(owner.props ?? {}), ...props };
      changed({ kind: "props", target, props });
    },

    /** @param {string} title */
    setTitle(title) {
      doc.title = title;
      changed({ kind: "title" });
    },

    /** Replace the whole document (a newer saved version, a restored copy). @param {object} next */
    replace(next) {
      doc = normalizeDocument(next);
      changed({ kind: "replace" });
    },
  };
}

/**
 * The document node a story's hop names: an instance of a pooled web server is named with its
 * number (web#2), the node itself without it.
 * @param {{node: string}} hop
 */
export const hopNode = (hop) => hop.node.replace(/#\d+$/, "");
