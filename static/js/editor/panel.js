/**
 * The inspector in the side panel: the selected node's label and props, the selected edge,
 * or, with nothing selected, the traffic. Kill and Revive stay usable on read-only pages:
 * breaking the running simulation does not change the saved document.
 */

import { findNode } from "../document/document.js";
import { actionsFor } from "../playback/actions.js";
import { actionsSection, edgeSection, manySection, nodeSection, trafficSection } from "./sections.js";

/**
 * Build the inspector.
 * @param {object} options
 * @param {HTMLElement} options.root
 * @param {object} options.catalog
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {import("../core/bus.js").Bus} options.bus
 * @param {() => boolean} options.editable
 * @param {(target: string, name: string) => boolean} [options.propsEditable]  which props may change (editable by default)
 * @param {(action: string, target: string, params?: object) => void} options.onAction  a live action
 * @param {() => void} options.onDelete  delete the selection
 * @param {() => import("../playback/actions.js").Met} options.met  the requirements each node meets now
 * @param {() => boolean} [options.canAct]  whether this page may send live actions (not a student's)
 */
export function createPanel({ root, catalog, store, bus, editable, onAction, onDelete, met, canAct = () => true, propsEditable = editable }) {
  let selection = null;
  let gauges = {};
  // The live actions offered for the selected node, and where they are shown: they change with
  // what the engine says the node meets (a spare shard, a backup, a replica promoted).
  let offered = "";
  const live = document.createElement("div");
  live.className = "inspector-live";
  const ctx = { catalog, store, editable, propsEditable, onDelete, onAction };

  function show(next) {
    selection = next;
    offered = "";
    root.replaceChildren(...content());
    updateActions();
  }

  /** Rebuild the live actions of the selected node if the ones that apply have changed. */
  function refreshActions() {
    const node = selection?.type === "node" ? findNode(store.doc, selection.id) : null;
    if (!node) return;
    const names = available(node).map(([name]) => name).join(" ");
    if (names === offered) return;
    showActions(node);
    updateActions();
  }

  const available = (node) => (canAct() ? actionsFor(catalog, node, met()) : []);

  function showActions(node) {
    const applying = available(node);
    offered = applying.map(([name]) => name).join(" ");
    live.replaceChildren(...actionsSection(ctx, node, applying));
  }

  function content() {
    if (selection?.type === "node") {
      const node = findNode(store.doc, selection.id);
      if (node) {
        showActions(node);
        return [...nodeSection(ctx, node), live];
      }
    }
    if (selection?.type === "nodes") return manySection(ctx, selection.ids);
    if (selection?.type === "edge") return edgeSection(ctx, selection);
    return trafficSection(ctx);
  }

  function updateActions() {
    if (selection?.type !== "node") return;
    const up = gauges[selection.id]?.up;
    const kill = root.querySelector('button[data-action="kill"]');
    const revive = root.querySelector('button[data-action="revive"]');
    if (kill) kill.disabled = up === false;
    if (revive) revive.disabled = up === true;
  }

  bus.on("ui:selection", show);
  // Becoming a live class's teacher (or its end) changes which fields may be edited.
  bus.on("live:role", () => show(selection));
  bus.on("ui:rename", () => root.querySelector("#node-label")?.focus());
  bus.on("doc:change", (change) => {
    if (change.kind === "structure" || change.kind === "replace") show(selection);
  });

  show(null);
  return {
    /**
     * Take the newest live numbers (to enable Kill or Revive, and offer the actions that apply now).
     * @param {Record<string, object>} next
     */
    setGauges(next) {
      gauges = next;
      refreshActions();
      updateActions();
    },
    /** Offer again the live actions that apply (after the engine said what each node meets). */
    refreshActions,
    /** Rebuild (after the page switched between read-only and editing). */
    refresh: () => show(selection),
    /**
     * Bring an action's form into view and focus its first setting (the context menu's "Slow down…").
     * @param {string} action
     */
    focusAction(action) {
      const form = root.querySelector(`[data-action-form="${action}"]`);
      form?.scrollIntoView({ block: "nearest" });
      form?.querySelector("input, select")?.focus();
    },
  };
}
