/**
 * Beside the latency chart: the slowest answered and the newest failed requests of the last
 * window (the frame's `exemplars`, docs/protocol.md), one button each that opens its story.
 */

import { formatMs } from "../core/format.js";
import { t } from "../core/i18n.js";

const REFRESH_MS = 2000;

/**
 * @param {object} options
 * @param {HTMLElement} options.root  the exemplars' box, after the charts
 * @param {import("../core/bus.js").Bus} options.bus  listens to "stories:exemplars"
 * @param {ReturnType<import("./stories.js").createStories>} options.stories
 * @param {object} options.catalog  names the failure causes (`failure_causes`)
 */
export function createExemplars({ root, bus, stories, catalog }) {
  const causeLabel = new Map(catalog.failure_causes.map(({ name, label }) => [name, label]));
  const heading = document.createElement("h3");
  heading.textContent = t("Requests to look at (last window)");
  const slowest = list(t("Slowest"), "slowest");
  const failed = list(t("Failed"), "failed");
  root.append(heading, slowest.box, failed.box);
  root.hidden = true;

  function list(label, name) {
    const box = document.createElement("div");
    box.className = "exemplar-list";
    box.dataset.exemplars = name;
    const title = document.createElement("span");
    title.textContent = label;
    const items = document.createElement("span");
    box.append(title, items);
    return { box, items };
  }

  // The buttons are kept and given new stories, so that a list of the page's controls (a screen
  // reader's, a test's) does not lose its place each time the exemplars change.
  function fill({ items }, list, text) {
    while (items.children.length > list.length) items.lastElementChild.remove();
    while (items.children.length < list.length) {
      const item = document.createElement("button");
      item.type = "button";
      item.className = "exemplar";
      item.addEventListener("click", () => stories.open(Number(item.dataset.story)));
      items.append(item);
    }
    list.forEach((story, i) => {
      items.children[i].dataset.story = String(story.id);
      items.children[i].textContent = text(story);
    });
  }

  function failedText(story) {
    const where = story.hops[story.hops.length - 1]?.node ?? story.from;
    const cause = story.cause === "dns_dead_entry" ? causeLabel.get("dead") : causeLabel.get(story.cause);
    return `${where}: ${cause ?? story.cause}`;
  }

  // The window's exemplars change with nearly every frame: the buttons are rebuilt at most every
  // REFRESH_MS, and not while the pointer is on them, so a person can click what they aimed at.
  let holding = false;
  let shownAt = -Infinity;
  root.addEventListener("pointerenter", () => (holding = true));
  root.addEventListener("pointerleave", () => (holding = false));

  function show(exemplars) {
    const now = performance.now();
    if (exemplars && (holding || now - shownAt < REFRESH_MS)) return;
    shownAt = exemplars ? now : -Infinity;
    const pick = (ids) => (ids ?? []).map(stories.get).filter(Boolean);
    const [slow, bad] = [pick(exemplars?.slowest), pick(exemplars?.failed)];
    root.hidden = !exemplars;
    fill(slowest, slow, (story) => formatMs(story.latency_ms));
    fill(failed, bad, failedText);
    slowest.box.hidden = !slow.length;
    failed.box.hidden = !bad.length;
  }

  bus.on("stories:exemplars", show);
}
