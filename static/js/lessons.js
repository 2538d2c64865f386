/**
 * Guided lessons: the list on a new topology's page, and lesson mode on a lesson's page, where
 * the narration follows the running scenario, stops the simulation at each question and opens
 * the preset as an ordinary editable topology.
 */

import { language, t } from "./i18n.js";

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

/**
 * Lesson mode. The step shown is the last one whose time the simulation has reached, unless the
 * student browses back; reaching a step with a question pauses the simulation until the answer
 * has been shown and the student continues.
 * @param {object} options
 * @param {object} options.lesson  the lesson as /api/lessons/<slug>/ gives it
 * @param {HTMLElement} options.root  #lesson
 * @param {import("./bus.js").Bus} options.bus
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
    const following = shown === reached;
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
    let index = reached;
    while (index + 1 < steps.length && seconds >= steps[index + 1].at) index += 1;
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

  bus.on("server:frame", (frame) => onTime(frame.t ?? 0));
  bus.on("server:state", (state) => {
    if (state.t === 0) restart();
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
