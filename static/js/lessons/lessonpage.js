/** A lesson's page: what it leaves out, what to try, its speed, then lesson mode (lessons.js). */

import { createLessonMode, inLanguage } from "./lessons.js";

/**
 * @param {object} options
 * @param {object} options.lesson  the lesson as the server rendered it (#lesson-data)
 * @param {HTMLElement} options.root  #lesson, the narration column
 * @param {HTMLSelectElement} options.speed  the simulation's speed
 * @param {import("../core/bus.js").Bus} options.bus
 * @param {ReturnType<import("../playback/sim.js").createSimulation>} options.sim
 * @param {ReturnType<import("../sharing/api.js").createApi>} options.api
 * @param {ReturnType<import("../core/notify.js").createNotifier>} options.notifier
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store  holding the preset
 */
export function openLesson({ lesson, root, speed, bus, sim, api, notifier, store }) {
  document.body.classList.add("is-lesson");
  const missing = root.querySelector(".lesson-missing-text");
  if (missing) missing.textContent = inLanguage(lesson.missing);
  root.querySelector(".lesson-try-list").replaceChildren(
    ...(lesson.try ?? []).map((item) => {
      const entry = document.createElement("li");
      entry.textContent = inLanguage(item);
      return entry;
    }),
  );
  if (lesson.speed && speed.querySelector(`option[value="${lesson.speed}"]`)) speed.value = String(lesson.speed);
  return createLessonMode({ lesson, root, bus, sim, api, notifier, store });
}
