"""The design a live class shows: its document and the engine's findings on it.

A class's pages never load a document themselves (the runner holds it), so they get the findings
with the hello and, after the teacher changes a prop, with a "design" message that also carries
the changed document: students then see the values the simulation runs with."""

import asyncio

import engine


def findings_of(document: dict) -> list[dict]:
    """The design findings of a document, none when the engine refuses it."""
    try:
        return [finding.to_dict() for finding in engine.analyze(engine.load(document))]
    except engine.TopologyError:
        return []


async def findings(document: dict) -> list[dict]:
    """findings_of, off the event loop: the graph analysis takes milliseconds on a big topology."""
    return await asyncio.to_thread(findings_of, document)


async def design_message(document: dict) -> dict:
    return {"type": "design", "document": document, "findings": await findings(document)}
