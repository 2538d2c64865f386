"""The live-class WebSocket: students watch; the teacher, once authenticated, drives."""

import json
import logging
import time
from collections import deque

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from playground.classes import live, relay
from playground.classes.models import LiveClass
from playground.ops.limits import socket_refused
from playground.ops.metrics import FRAMES_DROPPED, FRAMES_SENT, WEBSOCKETS
from playground.ops.outages import DATABASE_ERRORS, close_for_outage
from playground.ops.request_ids import REQUEST_ID, connection_id
from playground.ops.throttle import MessageBudget
from playground.sim.protocol import LIVE_FIELDS, ProtocolError, parse_message
from playground.topologies.tokens import normalized_join_code

log = logging.getLogger(__name__)

# Frames older than this when a watcher gets to them are dropped for that watcher.
STALE_FRAME_S = 0.5
# Flow control: a watcher may have this many frames sent but not yet acknowledged ("ack"). Beyond
# that its frames are dropped, so a connection that cannot keep up holds a bounded number of
# frames in the server's buffers instead of an ever-growing queue. Two seconds at 10 frames a second.
FRAME_WINDOW = 20
# Events held for a watcher whose window is full, sent with its next frame; the oldest go first.
MAX_HELD_EVENTS = 100


class LiveClassConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        REQUEST_ID.set(connection_id(self.scope))
        WEBSOCKETS.labels("live").inc()
        self.code = normalized_join_code(self.scope["url_route"]["kwargs"]["code"])
        self.teacher = False
        self.joined = False
        self.ended = False
        self.unacked: deque[int] = deque()
        self.held_events: list[dict] = []
        self.budget = MessageBudget(settings.WS_MESSAGES_PER_SECOND, settings.WS_MESSAGE_BURST)
        await self.accept()
        if await socket_refused(self):
            return
        try:
            live_class = await self.open_class()
        except DATABASE_ERRORS:
            await close_for_outage(self)
            return
        if live_class is None:
            await self.send_json({"type": "ended", "reason": "There is no live class with this code."})
            await self.close(code=4404)
            return
        await relay.watch(live.group_name(self.code), self)
        snapshot = await live.join(live_class)
        self.joined = True
        await self.send_json({"type": "hello", "role": "student", **snapshot})

    async def disconnect(self, code: int) -> None:
        WEBSOCKETS.labels("live").dec()
        if not self.joined:
            return
        await relay.unwatch(live.group_name(self.code), self)
        await live.leave(self.code, teacher=self.teacher)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self.budget.allow():
            if self.budget.should_say_so:
                await self.send_error(self.budget.refusal())
            return
        try:
            message = parse_message(text_data, bytes_data, LIVE_FIELDS)
            if not self.joined or self.ended:
                raise ProtocolError("This class has ended.")
            if message["type"] == "ack":
                self.acknowledge(message["seq"])
            elif message["type"] == "auth":
                await self.authenticate(message["token"])
            elif not self.teacher:
                raise ProtocolError("Students watch the teacher's simulation; only the teacher controls it.")
            else:
                # The process that runs the class may be another one: it answers errors on our channel.
                await live.control(self.code, message, reply_to=self.channel_name)
        except ProtocolError as exc:
            await self.send_error(str(exc))
        except Exception:
            log.exception("live class %s: message failed", self.code)
            await self.send_error("The server could not handle that message; the connection stays open.")

    async def authenticate(self, token: str) -> None:
        if self.teacher:
            return
        if not await self.teacher_token_matches(token):
            raise ProtocolError("This teacher link is not valid for this class.")
        self.teacher = True
        await live.become_teacher(self.code)
        live_class = await self.open_class()
        await self.send_json({"type": "hello", "role": "teacher", **await live.snapshot(live_class)})

    # Broadcasts of the class, handed over by this process's relay, passed on to this browser

    async def deliver(self, message: dict) -> None:
        await getattr(self, message["type"].replace(".", "_"))(message)

    def acknowledge(self, seq: int) -> None:
        """The browser has shown every frame up to `seq`: those no longer count against its window."""
        while self.unacked and self.unacked[0] <= seq:
            self.unacked.popleft()

    async def live_frame(self, event: dict) -> None:
        # A watcher that fell behind skips frames instead of replaying a backlog: frames that are
        # stale here, and frames beyond its window of unacknowledged ones. Its events are held
        # and sent once it has room again, so the log of a briefly slow watcher stays complete.
        self.held_events.extend(event["events"])
        del self.held_events[:-MAX_HELD_EVENTS]
        if len(self.unacked) >= FRAME_WINDOW:
            FRAMES_DROPPED.inc()
            return
        if time.time() - event["sent_at"] <= STALE_FRAME_S:
            await self.send(text_data=event["text"])
            self.unacked.append(event["seq"])
            FRAMES_SENT.labels("live").inc()
        else:
            FRAMES_DROPPED.inc()
        for item in self.held_events:
            await self.send_json({"type": "event", **item})
        self.held_events.clear()

    async def live_event(self, event: dict) -> None:
        await self.send_json({"type": "event", **event["event"]})

    async def live_reply(self, event: dict) -> None:
        """An answer of the class's owner to this teacher's control (an error)."""
        await self.send_json(event["message"])

    async def live_state(self, event: dict) -> None:
        await self.send_json(event["state"])

    async def live_narration(self, event: dict) -> None:
        await self.send_json({"type": "narration", "text": event["text"]})

    async def live_audience(self, event: dict) -> None:
        await self.send_json({"type": "audience", "students": event["students"]})

    async def live_ended(self, event: dict) -> None:
        self.ended = True
        await self.send_json({"type": "ended", "reason": event["reason"]})
        await self.close(code=4000)

    # Helpers

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content))

    async def send_error(self, message: str, problems: list | None = None) -> None:
        await self.send_json({"type": "error", "message": message, "problems": problems or []})

    @database_sync_to_async
    def open_class(self) -> LiveClass | None:
        return LiveClass.objects.filter(code=self.code, ended_at__isnull=True).first()

    @database_sync_to_async
    def teacher_token_matches(self, token: str) -> bool:
        live_class = LiveClass.objects.filter(code=self.code).first()
        return live_class is not None and live_class.accepts_teacher(token)
