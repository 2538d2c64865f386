/**
 * A small seedable random source (mulberry32), so that the animation can be replayed.
 * @param {number} [seed]
 * @returns {() => number} a function returning floats in [0, 1)
 */
export function createRandom(seed = 1) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
