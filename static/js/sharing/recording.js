/**
 * A run as a video or an animated picture, for chat and slides: the next N simulated seconds
 * of the canvas, with the run's headline numbers (clock, throughput, errors, p50, p99, as the
 * simulation bar shows them, from the engine's frames) in a strip under the drawing.
 * WebM comes from the browser's own MediaRecorder; GIF from gifenc (npm, loaded when asked),
 * at 10 frames a second and at most 800 pixels wide, so the file stays small enough for a chat.
 */

import { $ } from "../core/dom.js";
import { t } from "../core/i18n.js";

const STRIP = 34; // CSS pixels of the numbers strip
const GIF_FPS = 10;
const GIF_WIDTH = 800;
const VIDEO_WIDTH = 1280;

/** The numbers the simulation bar shows now, as one line. */
function numbersLine() {
  const text = (id) => $(id)?.textContent.trim() || "—";
  return [
    `${text("#sim-time")}`,
    `${text("#total-rps")} rps`,
    `${t("Errors")} ${text("#total-errors")}`,
    `p50 ${text("#total-p50")}`,
    `p99 ${text("#total-p99")}`,
  ].join("   ");
}

/**
 * A canvas that copies the stage's canvas and draws the numbers under it, frame by frame.
 * @param {HTMLCanvasElement} source
 * @param {number} maxWidth  CSS pixels
 */
function createComposite(source, maxWidth) {
  const scale = Math.min(1, maxWidth / source.width);
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(source.width * scale);
  const strip = Math.round(STRIP * Math.max(1, canvas.width / 960));
  canvas.height = Math.round(source.height * scale) + strip;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  return {
    canvas,
    draw() {
      ctx.drawImage(source, 0, 0, canvas.width, canvas.height - strip);
      ctx.fillStyle = "#1b1d2a";
      ctx.fillRect(0, canvas.height - strip, canvas.width, strip);
      ctx.fillStyle = "#ffffff";
      ctx.font = `600 ${Math.round(strip * 0.45)}px system-ui, sans-serif`;
      ctx.textBaseline = "middle";
      ctx.fillText(`${numbersLine()}   ·   Scale Playground`, strip * 0.4, canvas.height - strip / 2);
    },
  };
}

/** WebM through MediaRecorder, from the composite canvas's stream. */
function createVideoRecorder(composite) {
  const type = ["video/webm;codecs=vp9", "video/webm;codecs=vp8", "video/webm"].find((each) =>
    MediaRecorder.isTypeSupported(each),
  );
  if (!type) throw new Error(t("This browser cannot record video."));
  const chunks = [];
  const recorder = new MediaRecorder(composite.canvas.captureStream(30), { mimeType: type });
  recorder.addEventListener("dataavailable", (event) => event.data.size && chunks.push(event.data));
  recorder.start(250);
  return {
    extension: "webm",
    frame: () => composite.draw(),
    finish: () =>
      new Promise((resolve) => {
        recorder.addEventListener("stop", () => resolve(new Blob(chunks, { type: "video/webm" })));
        recorder.stop();
      }),
  };
}

/** GIF through gifenc: each frame quantised to its own 256-colour palette. */
async function createGifRecorder(composite) {
  const { GIFEncoder, quantize, applyPalette } = await import("../vendor/gifenc/gifenc.esm.js");
  const gif = GIFEncoder();
  const ctx = composite.canvas.getContext("2d", { willReadFrequently: true });
  let last = -Infinity;
  return {
    extension: "gif",
    frame(now) {
      composite.draw();
      if (now - last < 1000 / GIF_FPS) return;
      last = now;
      const { width, height } = composite.canvas;
      const { data } = ctx.getImageData(0, 0, width, height);
      const palette = quantize(data, 256);
      gif.writeFrame(applyPalette(data, palette), width, height, { palette, delay: 1000 / GIF_FPS });
    },
    async finish() {
      gif.finish();
      return new Blob([gif.bytes()], { type: "image/gif" });
    },
  };
}

/**
 * @param {object} options
 * @param {HTMLDialogElement} options.dialog  #record-dialog with #record-format, #record-seconds, #record-start
 * @param {HTMLButtonElement} options.button  opens the dialog; shows the progress while recording
 * @param {HTMLCanvasElement} options.canvas  the stage's canvas
 * @param {import("../core/bus.js").Bus} options.bus  "server:frame" carries the simulated time
 * @param {{play: () => void}} options.sim
 * @param {(blob: Blob, name: string) => void} options.save  hands the file to the browser
 * @param {() => string} options.name  the file name without extension
 * @param {{error: (text: string) => void}} options.notifier
 */
export function createRecording({ dialog, button, canvas, bus, sim, save, name, notifier }) {
  let recording = null;
  const label = button.getAttribute("aria-label");

  async function start(format, seconds) {
    const composite = createComposite(canvas, format === "gif" ? GIF_WIDTH : VIDEO_WIDTH);
    let recorder;
    try {
      recorder = format === "gif" ? await createGifRecorder(composite) : createVideoRecorder(composite);
    } catch (error) {
      notifier.error(error.message);
      return;
    }
    recording = { recorder, seconds, startT: null, lastT: null, raf: 0 };
    button.setAttribute("aria-pressed", "true");
    const tick = (now) => {
      if (!recording) return;
      recorder.frame(now);
      recording.raf = requestAnimationFrame(tick);
    };
    recording.raf = requestAnimationFrame(tick);
    sim.play();
    showProgress();
  }

  function showProgress() {
    const done = recording.startT === null ? 0 : recording.lastT - recording.startT;
    const text = t("Recording: {done} of {total} s; click to stop", { done: done.toFixed(0), total: recording.seconds });
    button.setAttribute("aria-label", text);
    button.title = text;
    button.style.setProperty("--progress", `${Math.min(100, Math.round((100 * done) / recording.seconds))}`);
  }

  async function stop() {
    const { recorder, raf } = recording;
    recording = null;
    cancelAnimationFrame(raf);
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-label", label);
    button.title = label;
    button.style.removeProperty("--progress");
    save(await recorder.finish(), `${name()}.${recorder.extension}`);
  }

  bus.on("server:frame", (frame) => {
    if (!recording || typeof frame.t !== "number") return;
    if (recording.startT === null) recording.startT = frame.t;
    recording.lastT = frame.t;
    showProgress();
    if (frame.t - recording.startT >= recording.seconds) stop();
  });

  button.addEventListener("click", () => (recording ? stop() : dialog.showModal()));
  dialog.querySelector("#record-start").addEventListener("click", () => {
    dialog.close();
    start(dialog.querySelector("#record-format").value, Number(dialog.querySelector("#record-seconds").value));
  });
  dialog.querySelectorAll("[data-close]").forEach((each) => each.addEventListener("click", () => dialog.close()));
  return {
    get recording() {
      return Boolean(recording);
    },
  };
}
