"""The seam between the web app and the engine for topology documents."""

import engine
from playground.ops.http import BadRequest


def validated_document(body: dict, field: str = "document") -> dict:
    """Return the body's document if the engine accepts it, else raise BadRequest listing every problem."""
    document = body.get(field)
    if not isinstance(document, dict):
        raise BadRequest(
            f'The body needs a "{field}" object holding the topology.',
            problems=[{"path": field, "message": "Missing or not a JSON object."}],
        )
    try:
        engine.load(document)
    except engine.TopologyError as exc:
        raise BadRequest("The topology has problems; nothing was saved.", problems=exc.problems) from None
    return document
