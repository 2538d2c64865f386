"""What the editor's socket and a live class's socket share: log ids, counting, limits, JSON."""

import json

from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from playground.ops.limits import socket_refused
from playground.ops.metrics import WEBSOCKETS
from playground.ops.request_ids import REQUEST_ID, connection_id
from playground.ops.throttle import MessageBudget
from playground.sim.protocol import error, parse_message, refusal


class MessageSocket(AsyncWebsocketConsumer):
    """A WebSocket that takes the message types `accepted` (playground.sim.protocol) and answers
    each refused one with an error; subclasses handle the checked messages in `handle`."""

    kind: str  # its label in the metrics
    accepted: tuple[str, ...]
    where = "a WebSocket"  # what the connection is about, for the log

    async def open(self) -> bool:
        """Accept the connection unless its address opened too many; whether it stays open."""
        REQUEST_ID.set(connection_id(self.scope))
        WEBSOCKETS.labels(self.kind).inc()
        self.budget = MessageBudget(settings.WS_MESSAGES_PER_SECOND, settings.WS_MESSAGE_BURST)
        await self.accept()
        return not await socket_refused(self)

    async def disconnect(self, code: int) -> None:
        WEBSOCKETS.labels(self.kind).dec()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self.budget.allow():
            if self.budget.should_say_so:
                await self.send_error(self.budget.refusal())
            return
        try:
            await self.handle(parse_message(text_data, bytes_data, self.accepted))
        except Exception as exc:
            await self.send_json(refusal(exc, self.where))

    async def handle(self, message: dict) -> None:
        """Act on a parsed message; each socket (the editor's, a live class's) dispatches its own."""
        raise NotImplementedError

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content))

    async def send_error(self, message: str, problems: list | None = None) -> None:
        await self.send_json(error(message, problems))
