/**
 * The animation loop: a fixed-timestep update, then one draw per display frame.
 */

/**
 * @param {{update: (dt: number) => void, draw: () => void, step?: number}} options
 *   update runs every `step` seconds of wall time (1/60 by default); draw once per frame
 * @returns {{start: () => void, stop: () => void}}
 */
export function createLoop({ update, draw, step = 1 / 60 }) {
  let last = null;
  let pending = 0;
  let id = null;

  function frame(now) {
    // A hidden tab pauses animation frames; do not replay the whole gap when it comes back.
    pending += last === null ? 0 : Math.min(0.25, (now - last) / 1000);
    last = now;
    while (pending >= step) {
      update(step);
      pending -= step;
    }
    draw();
    id = requestAnimationFrame(frame);
  }

  return {
    start() {
      if (id === null) id = requestAnimationFrame(frame);
    },
    stop() {
      cancelAnimationFrame(id);
      id = null;
      last = null;
    },
  };
}
