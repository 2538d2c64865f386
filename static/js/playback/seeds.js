/**
 * "Run 20 seeds": the server simulates the document on 20 seeds (POST /api/replications/) and the
 * panel shows each figure as a mean with its 95% confidence interval, so that a difference between
 * two designs can be told from the luck of one run. The result belongs to the document it was run
 * on: an edit marks it as out of date.
 */

import { t } from "../core/i18n.js";
import { formatMs, formatPercent, formatRate } from "../core/format.js";

const ROWS = [
  ["throughput_rps", "Throughput (rps)", formatRate],
  ["error_rate", "Error rate", formatPercent],
  ["latency_ms.p50", "p50", formatMs],
  ["latency_ms.p95", "p95", formatMs],
  ["latency_ms.p99", "p99", formatMs],
  ["data.lost_writes", "Lost writes", (value) => formatRate(value)],
  ["data.stale_reads", "Stale reads", (value) => formatRate(value)],
];

/**
 * @param {object} options
 * @param {HTMLButtonElement} options.button  #seeds-run
 * @param {HTMLElement} options.output  #seeds-result
 * @param {{doc: object}} options.store
 * @param {{replications: (document: object) => Promise<object>}} options.api
 * @param {import("../core/bus.js").Bus} options.bus
 */
export function createSeedRuns({ button, output, store, api, bus }) {
  let running = false;

  async function run() {
    if (running) return;
    running = true;
    button.disabled = true;
    output.hidden = false;
    output.dataset.state = "running";
    output.replaceChildren(paragraph(t("Running the design on 20 seeds, 60 simulated seconds each…")));
    try {
      show(await api.replications(store.doc));
    } catch (error) {
      output.dataset.state = "error";
      output.replaceChildren(paragraph(error.message));
    } finally {
      running = false;
      button.disabled = false;
    }
  }

  function show(result) {
    output.dataset.state = "done";
    const table = document.createElement("table");
    table.className = "seeds-table";
    const head = table.createTHead().insertRow();
    for (const text of [t("Figure"), t("Mean"), t("95% interval")]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      head.append(th);
    }
    const body = table.createTBody();
    for (const [path, label, format] of ROWS) {
      const interval = result.figures?.[path];
      if (!interval) continue;
      const row = body.insertRow();
      row.dataset.figure = path;
      row.insertCell().textContent = t(label);
      row.insertCell().textContent = format(interval.mean);
      row.insertCell().textContent = interval.low == null ? "—" : `${format(interval.low)} – ${format(interval.high)}`;
    }
    const note = paragraph(
      t("Seeds {first} to {last}, {seconds} s each after a {warmup} s warm-up.", {
        first: result.seeds[0],
        last: result.seeds[1],
        seconds: result.duration_s,
        warmup: result.warmup_s,
      }),
    );
    output.replaceChildren(table, note);
  }

  button.addEventListener("click", run);
  bus.on("doc:change", (change) => {
    if (output.dataset.state === "done" && ["structure", "props", "replace"].includes(change.kind)) {
      output.dataset.state = "stale";
      output.prepend(paragraph(t("The design changed since: run again to compare.")));
    }
  });
}

function paragraph(text) {
  const p = document.createElement("p");
  p.className = "help";
  p.textContent = text;
  return p;
}
