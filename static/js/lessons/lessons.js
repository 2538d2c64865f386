/**
 * Guided lessons: the list on a new topology's page, and lesson mode on a lesson's page, where
 * the narration follows the running scenario, stops the simulation at each question and opens
 * the preset as an ordinary editable topology.
 */

import { language, t } from "../core/i18n.js";

/** A lesson text ({en, ko}) in the page's language. */
export const inLanguage = (text, lang = language()) => (text ? (text[lang] ?? text.en ?? "") : "");

/** "1:05" for 65 seconds. */
const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;

/**
 * Fill the lesson list from /api/lessons/; it stays hidden when the server cannot be reached.
 * @param {{section: HTMLElement, list: HTMLOListElement, fetch?: typeof fetch}} options
 */
export async function showLessons({ section, list, fetch: fetchImpl = window.fetch.bind(window) }) {
  let lessons = [];
  try {
    const response = await fetchImpl("/api/lessons/", { headers: { Accept: "application/json" } });
    if (response.ok) lessons = (await response.json()).lessons ?? [];
  } catch {
    return;
  }
  list.replaceChildren(
    ...lessons.map((lesson) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = lesson.url;
      link.className = "lesson-item";
      link.dataset.lesson = lesson.slug;
      link.title = inLanguage(lesson.summary);
      const number = document.createElement("span");
      number.className = "lesson-number";
      number.textContent = String(lesson.number);
      const title = document.createElement("span");
      title.textContent = inLanguage(lesson.title);
      link.append(number, title);
      item.append(link);
      return item;
    }),
  );
  section.hidden = lessons.length === 0;
}

const COMPARE = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "==": (a, b) => a === b,
};

/** A number from a frame by a dotted path such as "totals.error_rate" or "nodes.db.util"; null if absent. */
function frameValue(frame, path) {
  let value = frame;
  for (const part of path.split(".")) value = value?.[part];
  return typeof value === "number" ? value : null;
}

/**
 * A lesson's alert rules, checked on every frame the way a monitoring system checks its metrics:
 * a rule fires once its condition has held for for_s simulated seconds, and resolves when it no
 * longer holds.
 * @param {{rules: object[], list: HTMLUListElement}} options
 */
export function createAlerts({ rules, list }) {
  const state = rules.map(() => ({ since: null, firing: false, firedAt: null }));
  const items = rules.map((rule) => {
    const item = document.createElement("li");
    item.className = "lesson-alert";
    item.dataset.alert = rule.id;
    const label = document.createElement("span");
    label.textContent = inLanguage(rule.label);
    const status = document.createElement("strong");
    status.className = "lesson-alert-state";
    item.append(status, label);
    return item;
  });
  list.replaceChildren(...items);

  function show(index) {
    const { firing, firedAt } = state[index];
    items[index].dataset.state = firing ? "firing" : "ok";
    items[index].querySelector(".lesson-alert-state").textContent = firing
      ? t("Firing since {time}", { time: clock(firedAt) })
      : t("OK");
  }

  function onFrame(frame) {
    const end = frame.t ?? 0;
    const start = end - (frame.dt ?? 0);
    rules.forEach((rule, index) => {
      const value = frameValue(frame, rule.metric);
      const holds = value !== null && COMPARE[rule.op](value, rule.value);
      const entry = state[index];
      if (!holds) Object.assign(entry, { since: null, firing: false });
      else {
        entry.since ??= start;
        if (!entry.firing && end - entry.since >= (rule.for_s ?? 0) - 1e-9) {
          Object.assign(entry, { firing: true, firedAt: end });
        }
      }
      show(index);
    });
  }

  function reset() {
    state.forEach((entry) => Object.assign(entry, { since: null, firing: false, firedAt: null }));
    rules.forEach((_, index) => show(index));
  }

  reset();
  return { onFrame, reset };
}

/**
 * Lesson mode. The step shown is the last one whose time the simulation has reached, unless the
 * student browses back; reaching a step with a question pauses the simulation until the answer
 * has been shown and the student continues.
 * @param {object} options
 * @param {object} options.lesson  the lesson as /api/lessons/<slug>/ gives it
 * @param {HTMLElement} options.root  #lesson
 * @param {import("../core/bus.js").Bus} options.bus
 * @param {{pause: () => void, play: () => void}} options.sim
 * @param {{create: (document: object) => Promise<{edit_url: string}>}} options.api
 * @param {{error: (message: string) => void}} options.notifier
 */
export function createLessonMode({ lesson, root, bus, sim, api, notifier }) {
  const steps = lesson.steps;
  const $ = (selector) => root.querySelector(selector);
  const parts = {
    progress: $(".lesson-progress"),
    text: $(".lesson-text"),
    question: $(".lesson-question"),
    questionText: $(".lesson-question-text"),
    reveal: $(".lesson-reveal"),
    answer: $(".lesson-answer"),
    answerText: $(".lesson-answer-text"),
    resume: $(".lesson-continue"),
    back: $(".lesson-back"),
    next: $(".lesson-next"),
    open: $(".lesson-open"),
    steps: $(".lesson-steps"),
  };
  const alertList = $(".lesson-alert-list");
  const alerts = alertList && lesson.alerts?.length ? createAlerts({ rules: lesson.alerts, list: alertList }) : null;
  let reached = 0;
  let shown = 0;
  const revealed = new Set();
  const asked = new Set();

  function render() {
    const step = steps[shown];
    root.dataset.step = String(shown);
    parts.progress.textContent = t("Step {n} of {total} · at {time}", {
      n: shown + 1,
      total: steps.length,
      time: clock(step.at),
    });
    parts.text.textContent = inLanguage(step.text);
    parts.question.hidden = !step.question;
    parts.questionText.textContent = inLanguage(step.question);
    parts.answerText.textContent = inLanguage(step.answer);
    const open = revealed.has(shown);
    parts.answer.hidden = !step.question || !open;
    parts.reveal.hidden = !step.question || open;
    parts.back.disabled = shown === 0;
    parts.next.disabled = shown >= reached;
    parts.steps.querySelectorAll("li").forEach((item, index) => {
      item.classList.toggle("is-reached", index <= reached);
      item.classList.toggle("is-current", index === shown);
    });
  }

  function reach(index) {
    // Frames already on their way after a question's pause must not move the student past it.
    const following = shown === reached && root.dataset.waiting !== "true";
    reached = index;
    if (following) shown = index;
    if (steps[index].question && !asked.has(index)) {
      asked.add(index);
      shown = index;
      root.dataset.waiting = "true";
      sim.pause();
    }
    render();
  }

  function onTime(seconds) {
    // A question on the first step stops the run as soon as it starts.
    if (reached === 0 && steps[0].question && !asked.has(0)) reach(0);
    let index = reached;
    // A fast run can pass several steps in one frame; it never passes a question unasked. A step
    // is reached by the first frame that ends after its time, not at it: the engine applies a
    // scenario action at `at` in the slice that starts there, so the frame ending exactly at 1:10
    // still shows the primary up that the step says has died.
    while (index + 1 < steps.length && seconds > steps[index + 1].at) {
      index += 1;
      if (steps[index].question && !asked.has(index)) break;
    }
    if (index !== reached) reach(index);
  }

  function restart() {
    reached = 0;
    shown = 0;
    revealed.clear();
    asked.clear();
    delete root.dataset.waiting;
    render();
  }

  function buildStepList() {
    parts.steps.replaceChildren(
      ...steps.map((step, index) => {
        const item = document.createElement("li");
        item.textContent = clock(step.at);
        item.title = step.question ? t("A question") : "";
        if (step.question) item.classList.add("has-question");
        item.addEventListener("click", () => {
          if (index > reached) return;
          shown = index;
          render();
        });
        return item;
      }),
    );
  }

  parts.reveal.addEventListener("click", () => {
    revealed.add(shown);
    render();
    parts.resume.focus();
  });
  parts.resume.addEventListener("click", () => {
    delete root.dataset.waiting;
    shown = reached;
    render();
    sim.play();
  });
  parts.back.addEventListener("click", () => {
    shown = Math.max(0, shown - 1);
    render();
  });
  parts.next.addEventListener("click", () => {
    shown = Math.min(reached, shown + 1);
    render();
  });
  parts.open.addEventListener("click", async () => {
    parts.open.disabled = true;
    try {
      const document = { ...lesson.document, title: inLanguage(lesson.title) };
      const created = await api.create(document);
      location.assign(created.edit_url);
    } catch (error) {
      notifier.error(t("The lesson could not be opened as a topology: {reason}", { reason: error.message }));
      parts.open.disabled = false;
    }
  });

  bus.on("server:frame", (frame) => {
    alerts?.onFrame(frame);
    onTime(frame.t ?? 0);
  });
  bus.on("server:state", (state) => {
    if (state.t !== 0) return;
    restart();
    alerts?.reset();
  });
  buildStepList();
  render();
  return {
    /** The step on screen, from 0. */
    get shown() {
      return shown;
    },
  };
}
