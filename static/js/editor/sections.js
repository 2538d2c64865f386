/**
 * The sections the inspector shows (panel.js): a node (its label and props), its live actions,
 * several nodes, an edge, or the traffic. Each builds its elements from the catalog and the
 * document; edits go through the store.
 *
 * The context `ctx` holds {catalog, store, editable, propsEditable, onDelete, onAction}.
 * propsEditable(target, name) may allow a prop where editable() does not: the teacher of a live
 * class changes props of the class's running simulation, never its structure.
 */

import { nodeName } from "../document/document.js";
import { createField } from "../document/fields.js";
import { t } from "../core/i18n.js";
import { iconSvg, kindColor } from "../canvas/icons.js";
import { actionButton, createActionForm, hasParams, paramsFor } from "../playback/actions.js";

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

function fact(term, value) {
  const [dt, dd] = [document.createElement("dt"), document.createElement("dd")];
  dt.textContent = term;
  dd.textContent = value;
  return [dt, dd];
}

function labelField({ store, editable }, node) {
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

/** A row holding a Delete button with this title. */
function deleteRow({ onDelete }, title) {
  const row = document.createElement("div");
  row.className = "inspector-actions";
  row.append(deleteButton(onDelete, title));
  return row;
}

function deleteButton(onDelete, title) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-ghost";
  button.dataset.action = "delete";
  button.textContent = t("Delete");
  button.title = title;
  button.addEventListener("click", onDelete);
  return button;
}

/** A node's heading, facts, label and props (its live actions are `actionsSection`). */
export function nodeSection(ctx, node) {
  const { catalog, store, editable } = ctx;
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

  const fields = Object.entries(spec.props ?? {}).map(([name, propSpec]) =>
    createField({
      name,
      spec: propSpec,
      value: node.props?.[name] ?? propSpec.default,
      idPrefix: "prop",
      disabled: !ctx.propsEditable(node.id, name),
      onValue: (prop, value) => store.setProps(node.id, { [prop]: value }),
    }),
  );
  return [head, facts, labelField(ctx, node), ...fields];
}

/**
 * The live actions that apply to the node (`applying`, from the catalog), then Delete.
 * @param {object} ctx
 * @param {{id: string, kind: string}} node
 * @param {[string, object][]} applying
 */
export function actionsSection({ catalog, store, editable, onDelete, onAction }, node, applying) {
  const row = document.createElement("div");
  row.className = "inspector-actions";
  const forms = [];
  for (const [name, spec] of applying) {
    const send = (params) => onAction(name, node.id, params);
    if (hasParams(spec)) {
      const suggestions = store.doc.nodes
        .filter((other) => other.id !== node.id && (spec.targets ?? []).includes(other.kind))
        .map((other) => other.id);
      forms.push(createActionForm({ name, spec: paramsFor(catalog, spec, node.kind), idPrefix: "act", suggestions, onSend: send }));
    } else {
      const button = actionButton(name, spec, "button");
      button.addEventListener("click", () => send({}));
      row.append(button);
    }
  }
  if (editable()) row.append(deleteButton(onDelete, t("Delete {name}", { name: nodeName(node) })));
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

/** Several nodes: how many, and Delete. */
export function manySection(ctx, ids) {
  const parts = [heading(t("{count} components selected", { count: ids.length }), ids.join(", "))];
  if (ctx.editable()) parts.push(deleteRow(ctx, t("Delete the selection")));
  return parts;
}

/** An edge: which way requests flow, and Delete. */
export function edgeSection(ctx, edge) {
  const parts = [heading(t("Connection"), `${edge.from} → ${edge.to}`)];
  const help = document.createElement("p");
  help.className = "muted";
  help.textContent = t("Requests flow from {from} to {to}.", edge);
  parts.push(help);
  if (ctx.editable()) parts.push(deleteRow(ctx, t("Delete this connection")));
  return parts;
}

/** Nothing selected: the traffic the users send. */
export function trafficSection({ catalog, store, editable, propsEditable }) {
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
      disabled: !propsEditable("traffic", name),
      onValue: (prop, value) => store.setProps("traffic", { [prop]: value }),
    }),
  );
  return [heading(t("Traffic")), intro, ...fields];
}
