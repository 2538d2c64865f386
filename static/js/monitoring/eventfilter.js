/**
 * The event log's filter: by kind of event (failures, failovers, alerts, scaling, the rest) and
 * by node. Events stay in the log when filtered out, hidden, so that clearing the filter shows
 * them all again.
 */

import { t } from "../core/i18n.js";
import { nodeName } from "../document/document.js";

/** Each engine event kind's group (engine/simulation: announce); alerts are the page's own. */
const GROUP_OF = {
  kill: "failures",
  revive: "failures",
  slow: "failures",
  partition: "failures",
  heal: "failures",
  health_check: "failures",
  bad_write: "failures",
  restore: "failures",
  failover: "failovers",
  primary_down: "failovers",
  alert: "alerts",
  scale: "scaling",
  autoscale: "scaling",
  instances_up: "scaling",
  add_shard: "scaling",
};

const GROUPS = [
  ["", "All events"],
  ["failures", "Failures and recoveries"],
  ["failovers", "Failovers"],
  ["alerts", "Alerts"],
  ["scaling", "Scaling"],
  ["other", "Traffic and other"],
];

/**
 * The group of an event kind: "failures", "failovers", "alerts", "scaling" or "other".
 * @param {string | undefined} kind
 */
export const eventGroup = (kind) => GROUP_OF[kind] ?? "other";

/**
 * @param {object} options
 * @param {HTMLSelectElement} options.kind  the group chosen ("" for all)
 * @param {HTMLSelectElement} options.node  the node chosen ("" for all)
 * @param {HTMLOListElement} options.log  #event-log, whose items carry data-group and data-node
 * @param {import("../core/bus.js").Bus} options.bus
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 */
export function createEventFilter({ kind, node, log, bus, store }) {
  kind.replaceChildren(...GROUPS.map(([value, label]) => new Option(t(label), value)));

  function fillNodes() {
    const chosen = node.value;
    const nodes = store.doc.nodes.filter((each) => each.kind !== "data_center");
    node.replaceChildren(new Option(t("All nodes"), ""), ...nodes.map((each) => new Option(nodeName(each), each.id)));
    node.value = nodes.some((each) => each.id === chosen) ? chosen : "";
  }

  /** Whether a log item passes the filter. @param {HTMLElement} item */
  const shows = (item) => (!kind.value || item.dataset.group === kind.value) && (!node.value || item.dataset.node === node.value);

  function apply() {
    for (const item of log.children) item.hidden = !shows(item);
    log.dataset.filtered = String(Boolean(kind.value || node.value));
  }

  kind.addEventListener("change", apply);
  node.addEventListener("change", apply);
  bus.on("doc:change", (change) => {
    if (["structure", "replace", "label"].includes(change.kind)) fillNodes();
  });
  fillNodes();
  return {
    /** Tag a new log item with its group and node, hidden if the filter leaves it out. */
    tag(item, event) {
      item.dataset.group = eventGroup(event.kind);
      item.dataset.node = event.target ?? "";
      item.hidden = !shows(item);
    },
  };
}
