/**
 * Design findings of the engine (single points of failure, unreachable nodes, ...) after each
 * load: listed in the side panel and kept by node id for the canvas's warning badges.
 */

import { eventText, t } from "../core/i18n.js";

const KIND_TEXT = {
  single_point_of_failure: "Single point of failure (SPOF)",
  no_replica: "No replica",
  unreachable: "Unreachable",
  dead_end: "Dead end",
  cache_without_database: "Cache without a database",
  no_backup: "No backup",
  shard_without_replica: "Shard without a replica",
  modulo_sharding: "Modulo sharding",
};

/**
 * A finding's sentence in the page's language: its template (engine/messages.py) with the node's
 * kind named as the page names kinds.
 */
export function findingText(finding) {
  if (!finding.template) return finding.message;
  const params = { ...finding.params };
  if (params.kind) params.kind = t(params.kind);
  return eventText({ template: finding.template, params });
}

/**
 * @param {object} options
 * @param {HTMLElement} options.list  #findings, a list
 * @param {HTMLElement} options.count  where the number of findings is shown
 * @param {import("../core/bus.js").Bus} options.bus  listens to "sim:findings"
 * @param {(id: string) => void} options.onNode  a finding naming a node was clicked
 */
export function createFindings({ list, count, bus, onNode }) {
  const byNode = new Map();

  function show(findings) {
    byNode.clear();
    for (const finding of findings) {
      if (finding.node) byNode.set(finding.node, [...(byNode.get(finding.node) ?? []), findingText(finding)]);
    }
    count.textContent = findings.length ? String(findings.length) : "";
    const items = findings.map((finding) => {
      const item = document.createElement("li");
      item.className = "finding";
      item.dataset.kind = finding.kind;
      const kind = document.createElement("strong");
      kind.textContent = t(KIND_TEXT[finding.kind] ?? finding.kind.replace(/_/g, " "));
      const text = document.createElement("span");
      text.textContent = findingText(finding);
      if (finding.node) {
        // A real button: keyboard and screen reader reach it, and it is named by its text.
        item.dataset.node = finding.node;
        const button = document.createElement("button");
        button.type = "button";
        button.className = "finding-select";
        button.append(kind, text);
        button.addEventListener("click", () => onNode(finding.node));
        item.append(button);
      } else {
        item.append(kind, text);
      }
      return item;
    });
    if (!items.length) {
      const none = document.createElement("li");
      none.className = "muted";
      none.textContent = t("No design findings yet.");
      items.push(none);
    }
    list.replaceChildren(...items);
    bus.emit("ui:redraw");
  }

  bus.on("sim:findings", show);
  show([]);
  return {
    /** Messages of the findings by node id (read by the canvas). */
    byNode,
  };
}
