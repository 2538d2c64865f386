/**
 * The inspector in the side panel: the selected node's label and props, the selected edge,
 * or, with nothing selected, the traffic. Kill and Revive stay usable on read-only pages:
 * breaking the running simulation does not change the saved document.
 */

import { findNode, nodeName } from "../document/document.js";
import { actionsFor, createActionForm, hasParams, paramsFor } from "../playback/actions.js";
import { createField } from "../document/fields.js";
import { t } from "../core/i18n.js";
import { iconSvg, kindColor } from "../canvas/icons.js";

/**
 * Build the inspector.
 * @param {object} options
 * @param {HTMLElement} options.root
 * @param {object} options.catalog
 * @param {ReturnType<import("../document/document.js").createDocumentStore>} options.store
 * @param {import("../core/bus.js").Bus} options.bus
 * @param {() => boolean} options.editable
 * @param {(action: string, target: string, params?: object) => void} options.onAction  a live action
 * @param {() => void} options.onDelete  delete the selection
 * @param {() => boolean} [options.canAct]  whether this page may send live actions (not a student's)
 */
export function createPanel({ root, catalog, store, bus, editable, onAction, onDelete, canAct = () => true }) {
  let selection = null;
  let gauges = {};
  // The live actions offered for the selected node, and where they are shown: they change with
  // its props (a spare shard), its wires (a backup) and the simulation (a replica promoted).
  let offered = "";
  const live = document.createElement("div");
  live.className = "inspector-live";

  function show(next) {
    selection = next;
    offered = "";
    root.replaceChildren(...content());
    updateActions();
  }

  /** Rebuild the live actions of the selected node if the ones that apply have changed. */
  function refreshActions() {
    const node = selection?.type === "node" ? findNode(store.doc, selection.id) : null;
    if (!node) return;
    const names = available(node).map(([name]) => name).join(" ");
    if (names === offered) return;
    live.replaceChildren(...actions(node));
    updateActions();
  }

  const available = (node) => (canAct() ? actionsFor(catalog, node, { doc: store.doc, gauges }) : []);

  function content() {
    if (selection?.type === "node") {
      const node = findNode(store.doc, selection.id);
      if (node) return nodeSection(node);
    }
    if (selection?.type === "nodes") return manySection(selection.ids);
    if (selection?.type === "edge") return edgeSection(selection);
    return trafficSection();
  }

  function heading(text, detail) {
    const header = document.createElement("div");
    header.className = "inspector-head";
    const title = document.createElement("h2");
    title.textContent = text;
    header.append(title);
    if (detail) {
      const small = document.createElement("p");
      small.className = "inspector-detail";
      small.textContent = detail;
      header.append(small);
    }
    return header;
  }

  function nodeSection(node) {
    const spec = catalog.kinds?.[node.kind] ?? { label: node.kind, props: {} };
    const head = heading(node.id, spec.label ?? node.kind);
    const tile = document.createElement("span");
    tile.className = "inspector-icon";
    tile.style.setProperty("--kind-color", kindColor(node.kind));
    tile.append(iconSvg(node.kind, 20));
    head.prepend(tile);

    const facts = document.createElement("dl");
    facts.className = "facts";
    facts.append(...fact("id", node.id), ...fact("kind", node.kind), ...(node.dc ? fact("dc", node.dc) : []));

    const label = labelField(node);
    const fields = Object.entries(spec.props ?? {}).map(([name, propSpec]) =>
      createField({
        name,
        spec: propSpec,
        value: node.props?.[name] ?? propSpec.default,
        idPrefix: "prop",
        disabled: !editable(),
        onValue: (prop, value) => store.setProps(node.id, { [prop]: value }),
      }),
    );
    live.replaceChildren(...actions(node));
    return [head, facts, label, ...fields, live];
  }

  function fact(term, value) {
    const [dt, dd] = [document.createElement("dt"), document.createElement("dd")];
    dt.textContent = term;
    dd.textContent = value;
    return [dt, dd];
  }

  function labelField(node) {
    const field = document.createElement("div");
    field.className = "field";
    const label = document.createElement("label");
    label.htmlFor = "node-label";
    label.textContent = t("label");
    const input = document.createElement("input");
    input.id = "node-label";
    input.type = "text";
    input.maxLength = 60;
    input.placeholder = node.id;
    input.value = node.label ?? "";
    input.disabled = !editable();
    input.addEventListener("input", () => store.setLabel(node.id, input.value.trim()));
    field.append(label, input);
    return field;
  }

  /** The live actions that apply to the node (from the catalog), then Delete. */
  function actions(node) {
    const row = document.createElement("div");
    row.className = "inspector-actions";
    const forms = [];
    const applying = available(node);
    offered = applying.map(([name]) => name).join(" ");
    for (const [name, spec] of applying) {
      const send = (params) => onAction(name, node.id, params);
      if (hasParams(spec)) {
        const suggestions = store.doc.nodes
          .filter((other) => other.id !== node.id && (spec.targets ?? []).includes(other.kind))
          .map((other) => other.id);
        forms.push(createActionForm({ name, spec: paramsFor(catalog, spec, node.kind), idPrefix: "act", suggestions, onSend: send }));
      } else {
        const button = document.createElement("button");
        button.type = "button";
        button.className = name === "kill" ? "btn btn-danger-soft" : "btn";
        button.dataset.action = name;
        button.textContent = spec.label ?? name;
        button.title = spec.meaning ?? "";
        button.addEventListener("click", () => send({}));
        row.append(button);
      }
    }
    if (editable()) row.append(deleteButton(t("Delete {name}", { name: nodeName(node) })));
    if (!forms.length) return [row];
    const group = document.createElement("section");
    group.className = "action-forms";
    group.setAttribute("aria-label", t("Live actions"));
    const title = document.createElement("h3");
    title.className = "section-title";
    title.textContent = t("Live actions");
    group.append(title, ...forms);
    return [row, group];
  }

  function deleteButton(title) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-ghost";
    button.dataset.action = "delete";
    button.textContent = t("Delete");
    button.title = title;
    button.addEventListener("click", onDelete);
    return button;
  }

  function manySection(ids) {
    const parts = [heading(t("{count} components selected", { count: ids.length }), ids.join(", "))];
    if (editable()) {
      const row = document.createElement("div");
      row.className = "inspector-actions";
      row.append(deleteButton(t("Delete the selection")));
      parts.push(row);
    }
    return parts;
  }

  function edgeSection(edge) {
    const parts = [heading(t("Connection"), `${edge.from} → ${edge.to}`)];
    const help = document.createElement("p");
    help.className = "muted";
    help.textContent = t("Requests flow from {from} to {to}.", edge);
    parts.push(help);
    if (editable()) {
      const row = document.createElement("div");
      row.className = "inspector-actions";
      row.append(deleteButton(t("Delete this connection")));
      parts.push(row);
    }
    return parts;
  }

  function trafficSection() {
    const intro = document.createElement("p");
    intro.className = "muted";
    intro.textContent = editable()
      ? t("Select a component to edit it. The traffic below is what the users send.")
      : t("Select a component to see it. The traffic below is what the users send.");
    const fields = Object.entries(catalog.traffic ?? {}).map(([name, spec]) =>
      createField({
        name,
        spec,
        value: store.doc.traffic?.[name] ?? spec.default,
        idPrefix: "traffic",
        disabled: !editable(),
        onValue: (prop, value) => store.setProps("traffic", { [prop]: value }),
      }),
    );
    return [heading(t("Traffic")), intro, ...fields];
  }

  function updateActions() {
    if (selection?.type !== "node") return;
    const up = gauges[selection.id]?.up;
    const kill = root.querySelector('button[data-action="kill"]');
    const revive = root.querySelector('button[data-action="revive"]');
    if (kill) kill.disabled = up === false;
    if (revive) revive.disabled = up === true;
  }

  bus.on("ui:selection", show);
  bus.on("ui:rename", () => root.querySelector("#node-label")?.focus());
  bus.on("doc:change", (change) => {
    if (change.kind === "structure" || change.kind === "replace") show(selection);
    else if (change.kind === "props") refreshActions();
  });

  show(null);
  return {
    /**
     * Take the newest live numbers (to enable Kill or Revive, and offer what applies to a database's role and shard state now).
     * @param {Record<string, object>} next
     */
    setGauges(next) {
      gauges = next;
      refreshActions();
      updateActions();
    },
    /** Rebuild (after the page switched between read-only and editing). */
    refresh: () => show(selection),
    /**
     * Bring an action's form into view and focus its first setting (the context menu's "Slow down…").
     * @param {string} action
     */
    focusAction(action) {
      const form = root.querySelector(`[data-action-form="${action}"]`);
      form?.scrollIntoView({ block: "nearest" });
      form?.querySelector("input, select")?.focus();
    },
  };
}
