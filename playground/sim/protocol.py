"""Parsing and checking of the messages a browser sends over the simulation WebSocket."""

import json

from playground.ops.http import strict_json

MAX_MESSAGE_BYTES = 256 * 1024
MIN_SPEED = 0.25
MAX_SPEED = 100.0
MAX_SEED = 2**63 - 1

# Each message type and the fields it must carry, with their JSON types.
REQUIRED_FIELDS: dict[str, dict[str, type | tuple]] = {
    "load": {"document": dict},
    "start": {},
    "pause": {},
    "step": {},
    "speed": {"value": (int, float)},
    "reset": {},
    "act": {"action": str},
    "set": {"target": str, "props": dict},
}
# A live class adds the teacher's own messages; students send only acknowledgements of frames.
LIVE_FIELDS: dict[str, dict[str, type | tuple]] = {
    **{kind: REQUIRED_FIELDS[kind] for kind in ("start", "pause", "step", "speed", "reset", "act", "set")},
    "auth": {"token": str},
    "ack": {"seq": int},
    "narrate": {"text": str},
    "end": {},
}
MAX_NARRATION = 2000
JSON_NAMES = {dict: "an object", str: "a string", int: "a whole number", (int, float): "a number"}


class ProtocolError(ValueError):
    """A message the server refuses; the text is sent back to the browser as it is."""


def parse_message(text: str | None, data: bytes | None, fields: dict = REQUIRED_FIELDS) -> dict:
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
    return checked(message, fields)


def checked(message: dict, fields: dict = REQUIRED_FIELDS) -> dict:
    kind = message.get("type")
    if kind not in fields:
        known = ", ".join(fields)
        raise ProtocolError(f"Unknown message type {kind!r}; known types are {known}.")
    for field, expected in fields[kind].items():
        value = message.get(field)
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ProtocolError(f'A "{kind}" message needs "{field}" as {JSON_NAMES[expected]}.')
    if kind == "speed":
        check_speed(message["value"])
    if kind == "reset":
        check_seed(message.get("seed", 0))
    if kind == "narrate" and len(message["text"]) > MAX_NARRATION:
        raise ProtocolError(f"Narration is at most {MAX_NARRATION} characters.")
    return message


def check_speed(value: float) -> None:
    if not MIN_SPEED <= value <= MAX_SPEED:
        raise ProtocolError(f"Speed must be from {MIN_SPEED} to {MAX_SPEED:g} times real time; got {value}.")


def check_seed(value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SEED:
        raise ProtocolError("The seed must be a whole number from 0 to 2^63 - 1.")
