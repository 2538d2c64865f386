/**
 * Charts of the totals over simulated time, drawn with uPlot (from the npm registry, served as
 * /static/vendor/uplot/): throughput, error rate, latency p50/p95/p99, and the hit ratios of the
 * caches and the CDN edges.
 * A frame earlier than the last one (a reset or a new load) starts the charts again.
 */

import { t } from "../core/i18n.js";

const KEEP = 600;
const CHARTS = [
  { name: "throughput", title: "Throughput (rps)", series: [["rps", "rps", "#6965db"]] },
  { name: "errors", title: "Error rate (%)", series: [["error_rate", "%", "#dc2626", 100]] },
  {
    name: "latency",
    title: "Latency (ms)",
    series: [
      ["p50", "p50", "#16a34a"],
      ["p95", "p95", "#d97706"],
      ["p99", "p99", "#dc2626"],
    ],
  },
  {
    name: "hits",
    title: "Hit ratio (%)",
    series: [
      ["hit_ratio", "cache", "#16a34a", 100],
      ["cdn_hit_ratio", "CDN", "#0891b2", 100],
    ],
  },
];

/**
 * @param {{root: HTMLElement, bus: import("../core/bus.js").Bus}} options
 *   root: #charts, filled with one .chart per chart (data-chart, data-points)
 */
export function createCharts({ root, bus }) {
  let uPlot = null;
  let plots = [];
  let columns = empty();

  function empty() {
    return [[], ...CHARTS.flatMap((chart) => chart.series.map(() => []))];
  }

  function build() {
    plots.forEach((plot) => plot.destroy());
    const style = getComputedStyle(root);
    const [text, grid] = [style.getPropertyValue("--muted"), style.getPropertyValue("--border")];
    const width = Math.max(200, root.clientWidth || 280);
    let column = 1;
    plots = CHARTS.map((chart) => {
      const box = root.querySelector(`[data-chart="${chart.name}"]`);
      box.replaceChildren();
      const first = column;
      column += chart.series.length;
      const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { show: false }, size: 36, font: "10px system-ui" };
      return new uPlot(
        {
          title: t(chart.title),
          width,
          height: 104,
          legend: { show: chart.series.length > 1, live: false },
          cursor: { show: false },
          scales: { x: { time: false } },
          axes: [{ ...axis, size: 22 }, axis],
          series: [{}, ...chart.series.map(([, label, color]) => ({ label: t(label), stroke: color, width: 1.5 }))],
        },
        [columns[0], ...columns.slice(first, column)],
        box,
      );
    });
    draw();
  }

  function draw() {
    let column = 1;
    plots.forEach((plot, index) => {
      const count = CHARTS[index].series.length;
      plot.setData([columns[0], ...columns.slice(column, column + count)]);
      plot.root.parentElement.dataset.points = String(columns[0].length);
      column += count;
    });
  }

  function onFrame(frame) {
    const time = columns[0];
    if (time.length && frame.t < time[time.length - 1]) columns = empty();
    const totals = frame.totals ?? {};
    columns[0].push(frame.t);
    let column = 1;
    for (const chart of CHARTS) {
      for (const [key, , , scale = 1] of chart.series) columns[column++].push(totals[key] == null ? null : totals[key] * scale);
    }
    if (columns[0].length > KEEP) columns = columns.map((values) => values.slice(-KEEP));
    if (uPlot) draw();
  }

  bus.on("server:frame", onFrame);
  import("../vendor/uplot/uPlot.esm.js").then((module) => {
    uPlot = module.default;
    build();
  });
  return {
    /** Draw again in the current theme's colours. */
    restyle: () => uPlot && build(),
  };
}
