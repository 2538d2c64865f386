/**
 * A request's story as trace viewers such as Jaeger draw it: one row per hop, a bar along a
 * shared time axis from when the request reached the node, split into its network, queue and
 * service time, and above them one sentence saying why it failed or where its time went
 * (storytext.js). Every width and number is one of the story's measured fields.
 */

import { formatMs } from "../core/format.js";
import { t } from "../core/i18n.js";
import { storySentence } from "./storytext.js";

// A hop's parts: its queue and service are bars from when it arrived; the engine accounts network
// time without delaying arrivals (docs/protocol.md), so the round trip is told in words only.
const PARTS = [
  ["queue", "queued_ms", "queued"],
  ["service", "service_ms", "service"],
];
const NETWORK = ["network", "network_ms", "network"];

/**
 * @param {object} options
 * @param {HTMLElement} options.container  where the panel sits (the stage)
 * @param {import("../core/bus.js").Bus} options.bus  listens to "story:open"
 * @param {object} options.catalog  names the hop outcomes (`hop_outcomes`) and request classes
 */
export function createWaterfall({ container, bus, catalog }) {
  const outcomeLabel = new Map(catalog.hop_outcomes.map(({ name, label }) => [name, label]));
  const classLabel = new Map(catalog.request_classes.map(({ name, label }) => [name, label]));
  const panel = document.createElement("section");
  panel.className = "story-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", t("Request story"));
  panel.hidden = true;
  const head = document.createElement("header");
  const title = document.createElement("h3");
  const close = document.createElement("button");
  close.type = "button";
  close.className = "story-close";
  close.textContent = "×";
  close.setAttribute("aria-label", t("Close"));
  close.addEventListener("click", () => (panel.hidden = true));
  head.append(title, close);
  const sentence = document.createElement("p");
  sentence.className = "story-sentence";
  const rows = document.createElement("ol");
  rows.className = "story-hops";
  const key = document.createElement("p");
  key.className = "story-key";
  for (const [part, , word] of PARTS) {
    const swatch = document.createElement("span");
    swatch.className = `story-bar-${part}`;
    key.append(swatch, t(word));
  }
  panel.append(head, sentence, rows, key);
  container.append(panel);

  function open(story) {
    const outcome = story.outcome === "failed" ? t("failed") : t("answered");
    title.textContent = t("Request #{id}: {kind}, {outcome} in {time}", {
      id: story.id,
      kind: classLabel.get(story.class) ?? story.class,
      outcome,
      time: formatMs(story.latency_ms),
    });
    panel.dataset.outcome = story.outcome;
    panel.dataset.story = String(story.id);
    sentence.textContent = storySentence(story);
    const span = Math.max(story.done_ms, story.latency_ms, ...story.hops.map(hopEnd), 1e-9);
    const failedAt = story.outcome === "failed" ? story.hops.length - 1 : -1;
    rows.replaceChildren(...story.hops.map((hop, i) => row(hop, span, i === failedAt)));
    panel.hidden = false;
  }

  function row(hop, span, failed) {
    const item = document.createElement("li");
    item.dataset.outcome = hop.outcome;
    const name = document.createElement("span");
    name.className = "story-node";
    name.textContent = hop.node;
    const track = document.createElement("span");
    track.className = "story-track";
    let at = hop.at_ms;
    for (const [part, field] of PARTS) {
      const bar = document.createElement("span");
      bar.className = `story-bar-${part}`;
      bar.style.left = `${(100 * Math.max(0, at)) / span}%`;
      bar.style.width = `${(100 * hop[field]) / span}%`;
      at += hop[field];
      track.append(bar);
    }
    if (failed) {
      // Where it failed, visible even when the refusal took no time at all.
      const mark = document.createElement("span");
      mark.className = "story-bar-failed";
      mark.style.left = `${(100 * at) / span}%`;
      track.append(mark);
    }
    const facts = document.createElement("span");
    facts.className = "story-facts";
    const times = [NETWORK, ...PARTS].filter(([, field]) => hop[field] > 0).map(([, field, word]) => `${t(word)} ${formatMs(hop[field])}`);
    facts.textContent = [outcomeLabel.get(hop.outcome) ?? hop.outcome, ...times].join(" · ");
    item.append(name, track, facts);
    return item;
  }

  bus.on("story:open", open);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) panel.hidden = true;
  });
}

const hopEnd = (hop) => hop.at_ms + hop.queued_ms + hop.service_ms;
