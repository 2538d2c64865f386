/**
 * The stories of sampled requests the page has heard (docs/protocol.md, Frames: stories), kept by
 * id for as long as a frame's exemplars may name them, so that a dot, an exemplar or a test can
 * open one. Publishes "stories:told" with each frame's new stories (the canvas moves them) and
 * "story:open" with the story a person asked to see.
 */

/** Simulated seconds a story is kept after it ended: longer than the frames' 5 s window. */
const KEEP_S = 8;

/**
 * @param {object} options
 * @param {import("../core/bus.js").Bus} options.bus  listens to "server:frame" and "sim:gauges"
 *   (an empty table is a reset or a new load: every story is forgotten)
 */
export function createStories({ bus }) {
  const byId = new Map();

  function hear(frame) {
    const told = frame.stories ?? [];
    for (const story of told) byId.set(story.id, story);
    const oldest = (frame.t ?? 0) - KEEP_S;
    for (const [id, story] of byId) if (story.t < oldest) byId.delete(id);
    if (told.length) bus.emit("stories:told", { stories: told, dt: frame.dt ?? 0.1 });
    bus.emit("stories:exemplars", frame.exemplars ?? null);
  }

  bus.on("server:frame", hear);
  bus.on("sim:gauges", (gauges) => {
    if (!Object.keys(gauges).length) byId.clear();
  });

  return {
    /** @param {number} id */
    get: (id) => byId.get(id) ?? null,
    /** Open a story's panel, if the page still holds it. */
    open(id) {
      const story = byId.get(id);
      if (story) bus.emit("story:open", story);
      return Boolean(story);
    },
  };
}
