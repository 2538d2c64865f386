/**
 * Guided lessons: the list on a new topology's page, and lesson mode on a lesson's page, where
 * the narration follows the running scenario, stops the simulation at each question, lets the
 * preset be changed in place and brought back, and opens it as an ordinary saved topology.
 */

import { language, t } from "../core/i18n.js";
import { createAlertWatch } from "../monitoring/alerts.js";
import { alertEvent } from "../monitoring/alertpanel.js";
import { metricsOf } from "../monitoring/metrics.js";

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
 * A lesson's alert rules (its file's `alerts`), checked on every frame like the alerts a person
 * adds in the editor (monitoring/alerts.js); they fire and resolve in the event log too.
 * @param {{rules: object[], list: HTMLUListElement, bus: import("../core/bus.js").Bus,
 *          store: {doc: object}}} options
 */
export function createAlerts({ rules, list, bus, store }) {
  const watch = createAlertWatch({
    rules: () => rules,
    onChange: (rule, time, firing) => bus.emit("log:event", alertEvent(inLanguage(rule.label), rule.metric, time, firing)),
  });
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

  function show() {
    rules.forEach((rule, index) => {
      const { firing, firedAt } = watch.state(rule.id);
      items[index].dataset.state = firing ? "firing" : "ok";
      items[index].querySelector(".lesson-alert-state").textContent = firing
        ? t("Firing since {time}", { time: clock(firedAt) })
        : t("OK");
    });
  }

  function onFrame(frame) {
    watch.check(frame, metricsOf(frame, store.doc));
    show();
  }

  function reset() {
    watch.reset();
    show();
  }

  reset();
  return { onFrame, reset };
}

/**
 * The lesson that follows this one in the list, or null after the last one (or when the list
 * cannot be fetched).
 * @param {string} slug
 * @param {typeof fetch} fetchImpl
 * @returns {Promise<{url: string, title: object} | null>}
 */
export async function nextLesson(slug, fetchImpl = window.fetch.bind(window)) {
  try {
    const response = await fetchImpl("/api/lessons/", { headers: { Accept: "application/json" } });
    if (!response.ok) return null;
    const lessons = (await response.json()).lessons ?? [];
    const index = lessons.findIndex((lesson) => lesson.slug === slug);
    return index >= 0 ? (lessons[index + 1] ?? null) : null;
  } catch {
    return null;
  }
}

/**
 * Lesson mode. The step shown is the last one whose time the simulation has reached, unless the
 * student browses back; reaching a step with a question pauses the simulation until the answer
 * has been shown and the student continues. The run pauses once at the lesson's duration_s
 * ("Play on" goes on); the last step offers the next lesson. The preset may be changed in place
 * (the editor works as on any topology's page, nothing is saved): "Back to the preset" restores
 * it and starts the lesson again; "Open as a topology" saves the design on screen as a copy.
 * @param {object} options
 * @param {object} options.lesson  the lesson as /api/lessons/<slug>/ gives it
 * @param {HTMLElement} options.root  #lesson
 * @param {import("../core/bus.js").Bus} options.bus
 * @param {{pause: () => void, play: () => void, reset: () => void}} options.sim
 * @param {{create: (document: object) => Promise<{edit_url: string}>}} options.api
 * @param {{error: (message: string) => void}} options.notifier
 * @param {{doc: object, replace: (document: object) => void}} options.store  holding the preset, unchanged yet
 * @param {typeof fetch} [options.fetch]
 */
export function createLessonMode({ lesson, root, bus, sim, api, notifier, store, fetch: fetchImpl }) {
  const steps = lesson.steps;
  const duration = lesson.duration_s;
  const presetJson = JSON.stringify(store.doc);
  const $ = (selector) => root.querySelector(selector);
  const parts = {
    progress: $(".lesson-progress"),
    clock: $(".lesson-clock"),
    time: $(".lesson-time"),
    text: $(".lesson-text"),
    question: $(".lesson-question"),
    questionText: $(".lesson-question-text"),
    reveal: $(".lesson-reveal"),
    answer: $(".lesson-answer"),
    answerText: $(".lesson-answer-text"),
    resume: $(".lesson-continue"),
    back: $(".lesson-back"),
    next: $(".lesson-next"),
    end: $(".lesson-end"),
    endText: $(".lesson-end-text"),
    playOn: $(".lesson-play-on"),
    finish: $(".lesson-finish"),
    nextLesson: $(".lesson-next-lesson"),
    edited: $(".lesson-edited"),
    preset: $(".lesson-preset"),
    open: $(".lesson-open"),
    steps: $(".lesson-steps"),
  };
  const alertList = $(".lesson-alert-list");
  const alerts = alertList && lesson.alerts?.length ? createAlerts({ rules: lesson.alerts, list: alertList, bus, store }) : null;
  let reached = 0;
  let shown = 0;
  let now = 0;
  // The run pauses once at the lesson's duration; after "Play on" (or Play) it runs on.
  let ended = false;
  let playedOn = false;
  let following = null;
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
    parts.end.hidden = !ended || playedOn;
    root.dataset.ended = String(ended && !playedOn);
    const last = steps.length - 1;
    parts.finish.hidden = !((reached === last && shown === last && root.dataset.waiting !== "true") || ended);
    showTime();
  }

  function showTime() {
    const text = t("{time} of {duration}", { time: clock(now), duration: clock(duration) });
    if (parts.clock.textContent !== text) parts.clock.textContent = text;
    parts.time.value = Math.min(now, duration);
  }

  function showNextLesson(next) {
    following = next;
    parts.nextLesson.href = next ? next.url : "/#lessons";
    parts.nextLesson.textContent = next
      ? t("Next lesson: {title}", { title: inLanguage(next.title) })
      : t("All lessons");
    parts.nextLesson.dataset.next = next ? next.slug : "";
  }

  function reach(index) {
    // Frames already on their way after a question's pause must not move the student past it.
    const followingSteps = shown === reached && root.dataset.waiting !== "true";
    reached = index;
    if (followingSteps) shown = index;
    if (steps[index].question && !asked.has(index)) {
      asked.add(index);
      shown = index;
      root.dataset.waiting = "true";
      sim.pause();
    }
    render();
  }

  function onTime(seconds) {
    now = seconds;
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
    if (!ended && seconds >= duration) {
      ended = true;
      parts.endText.textContent = t("The lesson's run is over at {time}. Play on to keep watching, or go on to the next lesson.", {
        time: clock(duration),
      });
      sim.pause();
      render();
    } else showTime();
  }

  function restart() {
    reached = 0;
    shown = 0;
    now = 0;
    ended = false;
    playedOn = false;
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

  function showEdited() {
    const edited = JSON.stringify(store.doc) !== presetJson;
    parts.edited.hidden = !edited;
    root.dataset.edited = String(edited);
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
  parts.playOn.addEventListener("click", () => {
    playedOn = true;
    render();
    sim.play();
  });
  parts.preset.addEventListener("click", () => {
    sim.pause();
    store.replace(JSON.parse(presetJson));
    sim.reset();
    restart();
    alerts?.reset();
  });
  parts.open.addEventListener("click", async () => {
    parts.open.disabled = true;
    try {
      const document = { ...store.doc, title: store.doc.title.trim() || inLanguage(lesson.title) };
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
    if (state.t === 0) {
      restart();
      alerts?.reset();
    } else if (ended && !playedOn && state.running) {
      // Play pressed in the simulation bar goes on as "Play on" does.
      playedOn = true;
      render();
    }
  });
  bus.on("doc:change", showEdited);
  buildStepList();
  showNextLesson(null);
  nextLesson(lesson.slug, fetchImpl).then(showNextLesson);
  showEdited();
  parts.time.max = duration;
  render();
  return {
    /** The step on screen, from 0. */
    get shown() {
      return shown;
    },
    /** The lesson after this one, once the list has come (null after the last one). */
    get following() {
      return following;
    },
  };
}
