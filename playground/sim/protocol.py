"""The messages a browser sends over a simulation WebSocket: one table of every type, with the
fields it must carry, how they are checked and what its handler takes from it, shared by the
editor's socket (playground.sim.consumer) and a live class (playground.classes)."""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import engine
from playground.ops.http import strict_json
from playground.sim.simulation import MemoryFull

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 256 * 1024
MIN_SPEED = 0.25
MAX_SPEED = 100.0
MAX_SEED = 2**63 - 1
MAX_NARRATION = 2000
JSON_NAMES = {dict: "an object", str: "a string", int: "a whole number", (int, float): "a number"}
SERVER_FAILED = "The server could not handle that message; the connection stays open."


class ProtocolError(ValueError):
    """A message the server refuses; the text is sent back to the browser as it is."""


def check_speed(value: float) -> None:
    if not MIN_SPEED <= value <= MAX_SPEED:
        raise ProtocolError(f"Speed must be from {MIN_SPEED} to {MAX_SPEED:g} times real time; got {value}.")


def check_seed(value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SEED:
        raise ProtocolError("The seed must be a whole number from 0 to 2^63 - 1.")


def check_narration(text: str) -> None:
    if len(text) > MAX_NARRATION:
        raise ProtocolError(f"Narration is at most {MAX_NARRATION} characters.")


def no_arguments(message: dict) -> tuple:
    return ()


@dataclass(frozen=True)
class MessageType:
    """The fields a message must carry, with their JSON types; the checks of their values past the
    type; and the arguments its handler, on_<type>, is called with."""

    fields: dict[str, type | tuple] = field(default_factory=dict)
    arguments: Callable[[dict], tuple] = no_arguments
    check: Callable[[dict], None] = no_arguments


MESSAGES: dict[str, MessageType] = {
    "load": MessageType({"document": dict}, lambda m: (m["document"],)),
    "start": MessageType(),
    "pause": MessageType(),
    "step": MessageType(),
    "speed": MessageType({"value": (int, float)}, lambda m: (float(m["value"]),), lambda m: check_speed(m["value"])),
    # Without a seed, a reset keeps the simulation's own (the handler is given None).
    "reset": MessageType({}, lambda m: (m.get("seed"),), lambda m: check_seed(m.get("seed", 0))),
    "act": MessageType({"action": str}, lambda m: ({key: value for key, value in m.items() if key != "type"},)),
    "set": MessageType({"target": str, "props": dict}, lambda m: (m["target"], m["props"])),
    "auth": MessageType({"token": str}, lambda m: (m["token"],)),
    "ack": MessageType({"seq": int}, lambda m: (m["seq"],)),
    "narrate": MessageType({"text": str}, lambda m: (m["text"],), lambda m: check_narration(m["text"])),
    "end": MessageType(),
    # Sent by the processes of a live class to its owner, never by a browser: count the audience again.
    "audience": MessageType(),
}
# What each socket takes from a browser, in the order a refusal of an unknown type lists them.
EDITOR = ("load", "start", "pause", "step", "speed", "reset", "act", "set", "ack")
# A live class adds the teacher's own messages; students send only acknowledgements of frames.
LIVE = ("start", "pause", "step", "speed", "reset", "act", "set", "auth", "ack", "narrate", "end")


def parse_message(text: str | None, data: bytes | None, accepted: tuple[str, ...] = EDITOR) -> dict:
    if text is None:
        raise ProtocolError("Send messages as JSON text, not binary frames.")
    if len(text.encode()) > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"The message is larger than {MAX_MESSAGE_BYTES // 1024} KB.")
    try:
        message = strict_json(text)
    except (json.JSONDecodeError, ValueError) as exc:
        raise ProtocolError(f"The message is not valid JSON: {exc}.") from None
    if not isinstance(message, dict):
        raise ProtocolError('A message must be a JSON object with a "type", such as {"type": "start"}.')
    return checked(message, accepted)


def checked(message: dict, accepted: tuple[str, ...]) -> dict:
    kind = message.get("type")
    if kind not in accepted:
        raise ProtocolError(f"Unknown message type {kind!r}; known types are {', '.join(accepted)}.")
    for name, expected in MESSAGES[kind].fields.items():
        value = message.get(name)
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ProtocolError(f'A "{kind}" message needs "{name}" as {JSON_NAMES[expected]}.')
    MESSAGES[kind].check(message)
    return message


async def dispatch(handler: object, message: dict) -> None:
    """Handle a checked message: the handler's on_<type>, with the arguments the table takes from it."""
    kind = message["type"]
    await getattr(handler, "on_" + kind)(*MESSAGES[kind].arguments(message))


def error(message: str, problems: list | None = None) -> dict:
    return {"type": "error", "message": message, "problems": problems or []}


def refusal(exc: Exception, where: str, invalid: str = "The topology has problems.") -> dict:
    """The error that answers a message the server refused, or failed on (logged: a bug)."""
    if isinstance(exc, MemoryFull):
        return error(exc.message, exc.problems)
    if isinstance(exc, engine.TopologyError):
        return error(invalid, exc.problems)
    if isinstance(exc, ProtocolError | engine.ActionError):
        return error(str(exc))
    log.error("%s: a message failed", where, exc_info=exc)
    return error(SERVER_FAILED)
