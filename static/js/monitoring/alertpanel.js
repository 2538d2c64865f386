/**
 * Alerts a person adds in the editor: pick any metric of the frames (metrics.js), a comparison,
 * a threshold and how long it must hold. Each rule shows whether it fires; firing and resolving
 * go to the event log. The rules are kept in this browser per topology (core/storage.js), not in
 * the topology document, whose contract has no field for them.
 */

import { formatClock } from "../core/format.js";
import { t } from "../core/i18n.js";
import { readAlertRules, writeAlertRules } from "../core/storage.js";
import { OPERATORS, createAlertWatch, isRule } from "./alerts.js";
import { metricChoices, metricLabel } from "./labels.js";
import { metricNode, metricsOf } from "./metrics.js";

/**
 * A rule as one line: "Data tier · busiest utilisation > 0.9 for 2 s".
 * @param {import("./alerts.js").AlertRule} rule
 * @param {object} doc
 */
export function ruleText(rule, doc) {
  const values = { metric: metricLabel(rule.metric, doc), op: rule.op, value: rule.value, seconds: rule.for_s ?? 0 };
  return rule.for_s ? t("{metric} {op} {value} for {seconds} s", values) : `${values.metric} ${rule.op} ${rule.value}`;
}

/**
 * The event an alert adds to the log when it fires or resolves.
 * @param {string} text  the rule's line
 * @param {string} metric
 * @param {number} time  simulated seconds
 * @param {boolean} firing
 */
export const alertEvent = (text, metric, time, firing) => ({
  t: time,
  kind: "alert",
  target: metricNode(metric),
  message: firing ? t("Alert firing: {rule}", { rule: text }) : t("Alert resolved: {rule}", { rule: text }),
});

/**
 * @param {object} options
 * @param {HTMLElement} options.root  #alerts, holding form.alert-form, ul.alert-list and .count
 * @param {import("../core/bus.js").Bus} options.bus  listens to frames, states and document changes;
 *   publishes "log:event" when a rule fires or resolves
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {() => string} options.storageKey  where this topology's rules are kept (it changes when a new topology is saved)
 */
export function createAlertPanel({ root, bus, store, storageKey }) {
  const form = root.querySelector(".alert-form");
  const list = root.querySelector(".alert-list");
  const count = root.querySelector(".count");
  const metric = form.elements.metric;
  let key = storageKey();
  let rules = readAlertRules(key).filter(isRule);
  let next = 1 + rules.reduce((top, rule) => Math.max(top, Number(rule.id.replace(/\D/g, "")) || 0), 0);
  const watch = createAlertWatch({
    rules: () => rules,
    onChange: (rule, time, firing) => bus.emit("log:event", alertEvent(ruleText(rule, store.doc), rule.metric, time, firing)),
  });

  function fillMetrics() {
    const chosen = metric.value;
    metric.replaceChildren(
      ...metricChoices(store.doc).map(([label, paths]) => {
        const group = document.createElement("optgroup");
        group.label = label;
        group.append(...paths.map((path) => new Option(metricLabel(path, store.doc), path)));
        return group;
      }),
    );
    if ([...metric.options].some((option) => option.value === chosen)) metric.value = chosen;
  }

  function render() {
    list.replaceChildren(...rules.map(item));
    showStates();
  }

  // Frames come ten times a second: only the states change, the list stays (a click in progress keeps its button).
  function showStates() {
    for (const entry of list.children) {
      const { firing, firedAt } = watch.state(entry.dataset.alert);
      entry.dataset.state = firing ? "firing" : "ok";
      const text = firing ? t("Firing since {time}", { time: formatClock(firedAt) }) : t("OK");
      const state = entry.querySelector(".alert-state");
      if (state.textContent !== text) state.textContent = text;
    }
    const firing = rules.filter((rule) => watch.state(rule.id).firing).length;
    const total = rules.length;
    count.textContent = total ? (firing ? t("{firing} of {total} firing", { firing, total }) : String(total)) : "";
    root.dataset.firing = String(firing);
  }

  function item(rule) {
    const entry = document.createElement("li");
    entry.className = "alert-rule";
    entry.dataset.alert = rule.id;
    entry.dataset.metric = rule.metric;
    const state = document.createElement("strong");
    state.className = "alert-state";
    const text = document.createElement("span");
    text.className = "alert-text";
    text.textContent = ruleText(rule, store.doc);
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "icon-btn alert-remove";
    remove.textContent = "×";
    remove.setAttribute("aria-label", t("Remove the alert {rule}", { rule: text.textContent }));
    remove.addEventListener("click", () => {
      rules = rules.filter((other) => other.id !== rule.id);
      watch.forget(rule.id);
      save();
    });
    entry.append(state, text, remove);
    return entry;
  }

  function save() {
    writeAlertRules(key, rules);
    render();
  }

  form.elements.op.replaceChildren(...Object.keys(OPERATORS).map((op) => new Option(op, op)));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const rule = {
      id: `alert${next++}`,
      metric: metric.value,
      op: form.elements.op.value,
      value: Number(form.elements.value.value),
      for_s: Number(form.elements.for_s.value || 0),
    };
    if (!isRule(rule)) return;
    rules = [...rules, rule];
    save();
  });

  bus.on("server:frame", (frame) => {
    watch.check(frame, metricsOf(frame, store.doc));
    showStates();
  });
  bus.on("server:state", (state) => {
    if (state.t !== 0) return;
    watch.reset();
    showStates();
  });
  bus.on("doc:change", (change) => {
    if (["structure", "replace", "label"].includes(change.kind)) {
      fillMetrics();
      render();
    }
  });
  // A new topology's first save gives it a slug: its rules move with it.
  bus.on("page:changed", () => {
    const moved = storageKey();
    if (moved === key) return;
    writeAlertRules(key, []);
    key = moved;
    save();
  });
  fillMetrics();
  render();
  return {
    /** The rules now. */
    get rules() {
      return rules;
    },
  };
}
