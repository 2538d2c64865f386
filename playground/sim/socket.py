"""What the editor's socket and a live class's socket share: log ids, counting, limits, JSON."""

import json
import logging

from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from playground.ops.limits import socket_refused
from playground.ops.metrics import WEBSOCKETS
from playground.ops.outages import REDIS_ERRORS, TRY_AGAIN_LATER, close_for_outage
from playground.ops.request_ids import REQUEST_ID, connection_id
from playground.ops.throttle import MessageBudget
from playground.sim.protocol import dispatch, error, parse_message, refusal

log = logging.getLogger(__name__)


class MessageSocket(AsyncWebsocketConsumer):
    """A WebSocket that takes the message types `accepted` (playground.sim.protocol) and answers
    each refused one with an error; subclasses handle the checked messages in `handle`."""

    kind: str  # its label in the metrics
    accepted: tuple[str, ...]
    where = "a WebSocket"  # what the connection is about, for the log
    opened = False  # accepted, and counted in the metrics
    shut = False  # disconnect has run

    async def __call__(self, scope, receive, send) -> None:
        # Redis may fail under any await of a socket that uses it (the channel layer's receive runs
        # beside the connection's): the browser is told why and retries, instead of a 1011 close.
        try:
            await super().__call__(scope, receive, send)
        except REDIS_ERRORS as exc:
            await self.end_for_outage(exc)

    async def end_for_outage(self, exc: Exception) -> None:
        try:
            if self.opened:
                await close_for_outage(self, exc)
            else:
                await self.close(code=TRY_AGAIN_LATER)
        except Exception:
            log.warning("%s: could not tell the browser about the outage", self.where, exc_info=True)
        if self.opened and not self.shut:
            try:
                await self.disconnect(TRY_AGAIN_LATER)
            except REDIS_ERRORS:
                log.warning("%s: cleaning up during the outage failed", self.where, exc_info=True)

    async def open(self) -> bool:
        """Accept the connection unless its address opened too many, or the store that counts
        them (Redis) is down; whether it stays open."""
        REQUEST_ID.set(connection_id(self.scope))
        WEBSOCKETS.labels(self.kind).inc()
        self.opened = True
        self.budget = MessageBudget(settings.WS_MESSAGES_PER_SECOND, settings.WS_MESSAGE_BURST)
        await self.accept()
        try:
            return not await socket_refused(self)
        except REDIS_ERRORS as exc:
            await close_for_outage(self, exc)
            return False

    async def disconnect(self, code: int) -> None:
        self.shut = True
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
        """Act on a parsed message: its `on_<type>` handler (a live class's socket first decides
        who may send what)."""
        await dispatch(self, message)

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content))

    async def send_error(self, message: str, problems: list | None = None) -> None:
        await self.send_json(error(message, problems))
