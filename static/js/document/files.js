/**
 * The topology as a .json file (export, import) and the whole drawing as a PNG or SVG picture. An imported
 * file replaces the document as one undoable edit; the server then checks it like any edit and
 * its problems are listed.
 */

import { t } from "../core/i18n.js";

/** A file name from the title: "Cache in front" -> "cache-in-front". @param {string} title */
export const fileName = (title) =>
  (title || "topology")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-|-$/g, "") || "topology";

export function download(blob, name) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/**
 * The problems that stop a parsed file from being drawn at all; the server checks the rest.
 * @param {any} doc
 * @returns {{path: string, message: string}[]}
 */
export function shapeProblems(doc) {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return [{ path: "", message: t("The file is not a topology.") }];
  if (!Array.isArray(doc.nodes)) return [{ path: "nodes", message: t("A topology needs a list of nodes.") }];
  return doc.nodes.flatMap((node, index) =>
    node && typeof node === "object" && typeof node.id === "string" && typeof node.kind === "string"
      ? []
      : [{ path: `nodes[${index}]`, message: t("Each node needs an id and a kind.") }],
  );
}

/**
 * @param {object} options
 * @param {ReturnType<import("./document.js").createDocumentStore>} options.store
 * @param {{png: () => Promise<Blob>, svg: () => Promise<string>}} options.pictures  the whole drawing as it is now
 * @param {ReturnType<import("./problems.js").createProblems>} options.problems
 * @param {() => void} options.onImported  called after a file replaced the document
 * @param {{exportJson: HTMLElement, importJson: HTMLElement, file: HTMLInputElement, exportPng: HTMLElement, exportSvg: HTMLElement}} options.controls
 */
export function createFiles({ store, pictures, problems, onImported, controls }) {
  controls.exportJson.addEventListener("click", () =>
    download(new Blob([JSON.stringify(store.doc, null, 2)], { type: "application/json" }), `${fileName(store.doc.title)}.json`),
  );
  controls.exportPng.addEventListener("click", async () =>
    download(await pictures.png(), `${fileName(store.doc.title)}.png`),
  );
  controls.exportSvg.addEventListener("click", async () =>
    download(new Blob([await pictures.svg()], { type: "image/svg+xml" }), `${fileName(store.doc.title)}.svg`),
  );
  controls.importJson.addEventListener("click", () => controls.file.click());
  controls.file.addEventListener("change", async () => {
    const file = controls.file.files[0];
    controls.file.value = "";
    if (!file) return;
    let doc = null;
    try {
      doc = JSON.parse(await file.text());
    } catch {
      return problems.show("save", t("{name} is not a JSON file.", { name: file.name }), []);
    }
    const found = shapeProblems(doc);
    if (found.length) return problems.show("save", t("{name} cannot be imported.", { name: file.name }), found);
    doc.nodes.forEach((node, index) => {
      if (!Number.isFinite(node.x)) node.x = 120 + 200 * (index % 5);
      if (!Number.isFinite(node.y)) node.y = 120 + 120 * Math.floor(index / 5);
    });
    problems.clear();
    store.replace(doc);
    onImported();
  });
}
