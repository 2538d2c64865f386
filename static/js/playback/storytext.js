/**
 * One plain sentence about a sampled request's story (docs/protocol.md, Frames: stories): why it
 * failed, or where its time went. Every number in it is one of the story's measured hop fields;
 * the sentence only picks which ones matter. English is the source text; Korean comes from
 * djangojs.po like every other sentence of the page.
 */

import { formatMs } from "../core/format.js";
import { t } from "../core/i18n.js";

// Why it failed, by the cause the engine named; {node} is the hop it failed at, {after} its latency.
const FAILED = {
  queue_full: "{node}'s queue was full (limit {limit}): refused after {after}.",
  dead: "{node} was down: failed after {after}.",
  dns_dead_entry: "DNS sent it to {node}, which was down: failed after {after}.",
  partitioned: "{node} was cut off by a network partition: failed after {after}.",
  killed: "{node} was killed while it held the request: failed after {after}.",
  no_server: "{node} had no server to send it to: failed after {after}.",
  no_primary: "{node} had no primary to take the write: failed after {after}.",
  hop_limit: "It went round the load balancers past the routing limit at {node}: failed after {after}.",
  job_lost: "The job was lost with {node}: failed after {after}.",
  queue_shrunk: "{node} dropped it when its queue limit was lowered: failed after {after}.",
};

/**
 * @param {object} story  a story of a frame
 * @returns {string} the sentence, in the page's language
 */
export function storySentence(story) {
  const hops = story.hops ?? [];
  const last = hops[hops.length - 1];
  if (story.outcome === "failed" && last) {
    const template = FAILED[story.cause] ?? "Failed at {node} after {after}.";
    return t(template, { node: last.node, limit: last.queue_limit ?? "?", after: formatMs(story.latency_ms) });
  }
  const stale = hops.find((hop) => hop.outcome === "stale_read");
  if (stale) {
    return t("Read from {node}, {lag} behind the primary: stale ({total} in all).", {
      node: stale.node,
      lag: formatMs(stale.replica_lag_ms),
      total: formatMs(story.latency_ms),
    });
  }
  const lost = hops.find((hop) => hop.outcome === "session_lost");
  if (lost) return t("{node} did not hold the user's session: the user logged in again.", { node: lost.node });
  return timeSentence(story, hops);
}

/** Where an answered request's time went: the biggest single part, queue, service or network. */
function timeSentence(story, hops) {
  const parts = hops.flatMap((hop) => [
    { kind: "queue", node: hop.node, ms: hop.queued_ms },
    { kind: "service", node: hop.node, ms: hop.service_ms },
  ]);
  parts.push({ kind: "network", node: null, ms: story.network_ms ?? 0 });
  const top = parts.reduce((best, part) => (part.ms > best.ms ? part : best), parts[0]);
  const values = { node: top.node, part: formatMs(top.ms), total: formatMs(story.latency_ms) };
  if (!(top.ms > 0)) return t("Answered in {total}.", values);
  if (top.kind === "queue") return t("Answered in {total}; most of it, {part}, waiting in {node}'s queue.", values);
  if (top.kind === "service") return t("Answered in {total}; most of it, {part}, served by {node}.", values);
  return t("Answered in {total}; most of it, {part}, on the network.", values);
}
