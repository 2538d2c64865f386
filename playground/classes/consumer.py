"""The live-class WebSocket: students watch; the teacher, once authenticated, drives."""

import asyncio
import itertools
import time
from collections import deque

from channels.db import database_sync_to_async

from playground.classes import live, relay, runner
from playground.classes.coordination import LEASE_S, TICK_S
from playground.classes.models import LiveClass
from playground.ops.limits import socket_address
from playground.ops.metrics import FRAMES_DROPPED, FRAMES_SENT
from playground.ops.outages import DATABASE_ERRORS, TRY_AGAIN_LATER, close_for_outage
from playground.sim.protocol import LIVE, ProtocolError, dispatch, error, refusal
from playground.sim.socket import MessageSocket
from playground.topologies.tokens import normalized_join_code

# Frames older than this when a watcher gets to them are dropped for that watcher.
STALE_FRAME_S = 0.5
# Flow control: a watcher may have this many frames sent but not yet acknowledged ("ack"). Beyond
# that its frames are dropped, so a connection that cannot keep up holds a bounded number of
# frames in the server's buffers instead of an ever-growing queue. Two seconds at 10 frames a second.
FRAME_WINDOW = 20
# Events held for a watcher whose window is full, sent with its next frame; the oldest go first.
MAX_HELD_EVENTS = 100
# The owner answers each control at once, or once it has caught up after a takeover. A control
# still unanswered after this long reached no owner (it died with the control on its way).
CONTROL_ANSWER_S = LEASE_S + 2 * TICK_S
UNANSWERED = ("The class did not answer: the server running it may have stopped, and another one is taking "
              "it over. If nothing changed, try again in a moment.")  # fmt: skip


class LiveClassConsumer(MessageSocket):
    kind = "live"
    accepted = LIVE

    async def connect(self) -> None:
        self.code = normalized_join_code(self.scope["url_route"]["kwargs"]["code"])
        self.where = f"live class {self.code}"
        self.teacher = False
        self.joined = False
        self.ended = False
        self.unacked: deque[int] = deque()
        self.held_events: list[dict] = []
        self.unanswered: dict[int, asyncio.TimerHandle] = {}
        self.control_ids = itertools.count(1)
        if not await self.open():
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
        await relay.watch(runner.group_name(self.code), self)
        try:
            snapshot = await live.join(live_class, address=socket_address(self.scope))
        except Exception as exc:
            # Refused (no memory left for the class here, the database down): nothing stays
            # behind, and the page says why and tries again later by itself.
            await relay.unwatch(runner.group_name(self.code), self)
            if isinstance(exc, DATABASE_ERRORS):
                await close_for_outage(self)
            else:
                await self.send_json(refusal(exc, self.where, invalid="This class cannot be opened here right now."))
                await self.close(code=TRY_AGAIN_LATER)
            return
        self.joined = True
        await self.send_json({"type": "hello", "role": "student", **snapshot})

    async def disconnect(self, code: int) -> None:
        await super().disconnect(code)
        for timer in self.unanswered.values():
            timer.cancel()
        if not self.joined:
            return
        await relay.unwatch(runner.group_name(self.code), self)
        await live.leave(self.code, teacher=self.teacher)

    async def handle(self, message: dict) -> None:
        if not self.joined or self.ended:
            raise ProtocolError("This class has ended.")
        if message["type"] in ("ack", "auth"):
            await dispatch(self, message)
        elif not self.teacher:
            raise ProtocolError("Students watch the teacher's simulation; only the teacher controls it.")
        else:
            # The process that runs the class may be another one: it answers on our channel.
            control_id = next(self.control_ids)
            await live.control(self.code, message, reply_to=self.channel_name, control_id=control_id)
            loop = asyncio.get_running_loop()
            self.unanswered[control_id] = loop.call_later(CONTROL_ANSWER_S, self.no_answer, control_id)

    def no_answer(self, control_id: int) -> None:
        if self.unanswered.pop(control_id, None) is not None:
            # Held here until sent: the event loop keeps only a weak reference to a task.
            self.telling = asyncio.ensure_future(self.send_json(error(UNANSWERED)))

    def answered(self, control_id: int | None) -> None:
        timer = self.unanswered.pop(control_id, None)
        if timer is not None:
            timer.cancel()

    async def on_auth(self, token: str) -> None:
        if self.teacher:
            return
        if not await self.teacher_token_matches(token):
            raise ProtocolError("This teacher link is not valid for this class.")
        self.teacher = True
        await live.become_teacher(self.code)
        live_class = await self.open_class()
        await self.send_json({"type": "hello", "role": "teacher", **await live.snapshot(live_class)})

    async def on_ack(self, seq: int) -> None:
        """The browser has shown every frame up to `seq`: those no longer count against its window."""
        while self.unacked and self.unacked[0] <= seq:
            self.unacked.popleft()

    # Broadcasts of the class, handed over by this process's relay, passed on to this browser

    async def deliver(self, message: dict) -> None:
        await getattr(self, message["type"].replace(".", "_"))(message)

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
        self.answered(event.get("id"))
        await self.send_json(event["message"])

    async def live_done(self, event: dict) -> None:
        """The class's owner applied this teacher's control."""
        self.answered(event.get("id"))

    async def live_teachers(self, event: dict) -> None:
        """A notice of the class's owner for its teachers (its state cannot be saved, say)."""
        if self.teacher:
            await self.send_json(event["message"])

    async def live_state(self, event: dict) -> None:
        await self.send_json(event["state"])

    async def live_design(self, event: dict) -> None:
        await self.send_json(event["message"])

    async def live_narration(self, event: dict) -> None:
        await self.send_json({"type": "narration", "text": event["text"]})

    async def live_audience(self, event: dict) -> None:
        await self.send_json({"type": "audience", "students": event["students"]})

    async def live_ended(self, event: dict) -> None:
        self.ended = True
        await self.send_json({"type": "ended", "reason": event["reason"]})
        await self.close(code=4000)

    # Helpers

    @database_sync_to_async
    def open_class(self) -> LiveClass | None:
        return LiveClass.objects.filter(code=self.code, ended_at__isnull=True).first()

    @database_sync_to_async
    def teacher_token_matches(self, token: str) -> bool:
        live_class = LiveClass.objects.filter(code=self.code).first()
        return live_class is not None and live_class.accepts_teacher(token)
