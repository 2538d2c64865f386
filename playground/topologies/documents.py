"""The seam between the web app and the engine for topology documents."""

import engine
from playground.ops.http import BadRequest

# Every field of a stored document (SPEC, version 1; docs/protocol.md for dc, width and height),
# as the lessons and the editor write them. The engine refuses unknown traffic settings and
# scenario fields itself; it ignores unknown fields elsewhere, which would let any padding be
# stored and served back forever.
DOCUMENT_FIELDS = ("version", "title", "traffic", "nodes", "edges", "scenario")
NODE_FIELDS = ("id", "kind", "label", "x", "y", "props", "dc", "width", "height")
EDGE_FIELDS = ("from", "to")
MAX_LISTED = 20


def unknown_field(path: str, name: str, what: str, known: tuple[str, ...]) -> dict:
    shown = name if len(name) <= 40 else name[:40] + "..."
    return {"path": f"{path}.{shown}" if path else shown,
            "message": f"{what} has no field called {shown!r}; it has: {', '.join(known)}."}  # fmt: skip


def unknown_fields(document: dict) -> list[dict]:
    """A problem for each field the document, a node or an edge has beyond the contract's (the
    first MAX_LISTED of them: a document padded with thousands gets a short answer)."""
    problems = [unknown_field("", name, "A topology", DOCUMENT_FIELDS) for name in document
                if name not in DOCUMENT_FIELDS]  # fmt: skip
    for part, fields, what in (("nodes", NODE_FIELDS, "A node"), ("edges", EDGE_FIELDS, "An edge")):
        items = document.get(part)
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                problems += [unknown_field(f"{part}[{index}]", name, what, fields) for name in item
                             if name not in fields]  # fmt: skip
    if len(problems) > MAX_LISTED:
        more = {"path": "", "message": f"And {len(problems) - MAX_LISTED} more unknown fields."}
        problems = problems[:MAX_LISTED] + [more]
    return problems


def validated_document(body: dict, field: str = "document") -> dict:
    """Return the body's document if the engine accepts it and it has no field beyond the
    contract's, else raise BadRequest listing every problem."""
    document = body.get(field)
    if not isinstance(document, dict):
        raise BadRequest(
            f'The body needs a "{field}" object holding the topology.',
            problems=[{"path": field, "message": "Missing or not a JSON object."}],
        )
    unknown = unknown_fields(document)
    try:
        engine.load(document)
        problems = []
    except engine.TopologyError as exc:
        problems = exc.problems
    if unknown:
        raise BadRequest(f"The topology has an unknown field, {unknown[0]['path']}; nothing was saved.",
                         problems=unknown + problems)  # fmt: skip
    if problems:
        raise BadRequest("The topology has problems; nothing was saved.", problems=problems)
    return document
