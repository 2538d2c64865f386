/**
 * The dashboard of the panel: business metrics (throughput, error rate, logins per second), then
 * the web tier and the data tier summed up from the nodes' gauges. The host metrics are each
 * node's row of the live numbers and its card on the canvas. Each number carries its metric path
 * (data-metric), the one the alert form offers.
 */

import { formatPercent, formatRate } from "../core/format.js";
import { t } from "../core/i18n.js";
import { fieldLabel } from "./labels.js";
import { TIERS, metricValue, metricsOf } from "./metrics.js";

/** [group title, [metric path, formatter]...] */
const GROUPS = [
  ["Business", [["business.throughput_rps", formatRate], ["business.error_rate", formatPercent], ["business.logins_rps", formatRate]]],
  ["Web tier", tierRows("web")],
  ["Data tier", tierRows("data")],
];

function tierRows(tier) {
  return [
    [`tiers.${tier}.util_max`, formatPercent],
    [`tiers.${tier}.util_mean`, formatPercent],
    [`tiers.${tier}.queue`, formatRate],
    [`tiers.${tier}.rps`, formatRate],
    [`tiers.${tier}.down`, formatRate],
  ];
}

/**
 * @param {object} options
 * @param {HTMLElement} options.root  #metric-groups
 * @param {import("../core/bus.js").Bus} options.bus
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 */
export function createDashboard({ root, bus, store }) {
  const cells = [];
  const groups = GROUPS.map(([title, rows]) => {
    const group = document.createElement("section");
    group.className = "metric-group";
    group.dataset.group = rows[0][0].split(".").slice(0, -1).join(".");
    const heading = document.createElement("h3");
    heading.textContent = t(title);
    const list = document.createElement("dl");
    for (const [path, format] of rows) {
      const row = document.createElement("div");
      row.dataset.metric = path;
      row.title = path;
      const [dt, dd] = [document.createElement("dt"), document.createElement("dd")];
      dt.textContent = fieldLabel(path.split(".").pop());
      dd.textContent = "—";
      row.append(dt, dd);
      list.append(row);
      cells.push({ path, format, row, dd });
    }
    group.append(heading, list);
    return group;
  });
  const hosts = document.createElement("p");
  hosts.className = "help";
  hosts.textContent = t("Host metrics: each node's row in the live numbers, and its card beside it on the canvas.");
  root.replaceChildren(...groups, hosts);
  let loginsSeen = false;

  function show(view) {
    for (const { path, format, row, dd } of cells) {
      const value = metricValue(view, path);
      const text = format(value);
      if (dd.textContent !== text) dd.textContent = text;
      if (path === "business.logins_rps") row.hidden = !(loginsSeen ||= (value ?? 0) > 0);
    }
    // A design without a web tier or a data tier has no numbers to show for it.
    for (const group of groups) {
      const tier = group.dataset.group.replace(/^tiers\./, "");
      if (TIERS[tier]) group.hidden = !store.doc.nodes.some((node) => TIERS[tier].includes(node.kind));
    }
  }

  function clear() {
    loginsSeen = false;
    show(metricsOf({ nodes: {}, totals: {} }, store.doc));
  }

  bus.on("server:frame", (frame) => show(metricsOf(frame, store.doc)));
  bus.on("server:state", (state) => state.t === 0 && clear());
  bus.on("doc:change", (change) => ["structure", "replace"].includes(change.kind) && clear());
  clear();
}
