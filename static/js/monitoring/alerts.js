/**
 * Alert rules checked on every frame, the way a monitoring system checks its metrics: a rule
 * fires once its condition has held for `for_s` simulated seconds, and resolves when it no longer
 * holds. Time is the simulation's own (frame.t), never the wall clock, so a fast run fires the
 * same alerts at the same simulated times as a slow one.
 */

import { metricValue } from "./metrics.js";

/** The comparisons a rule may make, as a lesson file and the alert form write them. */
export const OPERATORS = {
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  "==": (a, b) => a === b,
};

/**
 * @typedef {object} AlertRule
 * @property {string} id
 * @property {string} metric  a path into metricsOf's view: "totals.error_rate", "nodes.db.util", ...
 * @property {string} op  a key of OPERATORS
 * @property {number} value  the threshold
 * @property {number} [for_s]  simulated seconds the condition must hold before the rule fires
 */

/**
 * Whether a value read from storage or a form is a rule this module can check.
 * @param {any} rule
 * @returns {boolean}
 */
export function isRule(rule) {
  return Boolean(
    rule &&
      typeof rule.id === "string" &&
      typeof rule.metric === "string" &&
      rule.op in OPERATORS &&
      Number.isFinite(rule.value) &&
      Number.isFinite(rule.for_s ?? 0) &&
      (rule.for_s ?? 0) >= 0,
  );
}

/**
 * @param {object} options
 * @param {() => AlertRule[]} options.rules  the rules now (they may change between frames)
 * @param {(rule: AlertRule, t: number, firing: boolean) => void} [options.onChange]  a rule fired or resolved at t
 */
export function createAlertWatch({ rules, onChange = () => {} }) {
  /** By rule id: since when the condition holds, whether it fires, since when. */
  const states = new Map();
  const stateOf = (id) => {
    if (!states.has(id)) states.set(id, { since: null, firing: false, firedAt: null });
    return states.get(id);
  };

  /**
   * Check every rule against one frame's metrics.
   * @param {object} frame  for its time: t, dt
   * @param {object} view  metricsOf(frame, doc)
   */
  function check(frame, view) {
    const end = frame.t ?? 0;
    const start = end - (frame.dt ?? 0);
    for (const rule of rules()) {
      const value = metricValue(view, rule.metric);
      const holds = value !== null && OPERATORS[rule.op](value, rule.value);
      const state = stateOf(rule.id);
      if (!holds) {
        state.since = null;
        if (state.firing) {
          Object.assign(state, { firing: false, firedAt: null });
          onChange(rule, end, false);
        }
        continue;
      }
      state.since ??= start;
      if (!state.firing && end - state.since >= (rule.for_s ?? 0) - 1e-9) {
        Object.assign(state, { firing: true, firedAt: end });
        onChange(rule, end, true);
      }
    }
  }

  return {
    check,
    /** A new run from time 0: nothing holds or fires yet. */
    reset: () => states.clear(),
    /** Forget a rule that was removed. @param {string} id */
    forget: (id) => states.delete(id),
    /** @param {string} id @returns {{firing: boolean, firedAt: number | null}} */
    state: (id) => stateOf(id),
  };
}
