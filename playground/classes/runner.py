"""A live class's simulation, in the one process that owns the class (playground.classes.live).

The owner steps the simulation, sends each frame to the class's channel-layer group, where each
process's relay (playground.classes.relay) hands it to the watchers connected there, and saves
the class's state after every change, so that a successor can resume it. Teachers may be
connected to any process: their controls reach the owner through the class's control group.
"""

import asyncio
import json
import logging
import time

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone

from playground.classes.coordination import LEASE_S, PROCESS_ID, TICK_S, coordinator
from playground.classes.models import LiveClass
from playground.ops.metrics import LIVE_CLASSES
from playground.sim import capacity
from playground.sim.protocol import dispatch, refusal
from playground.sim.runloop import RunLoop
from playground.sim.simulation import live_simulation

log = logging.getLogger(__name__)

TEACHER_LEFT = "The teacher left, so the class has ended."


def group_name(code: str) -> str:
    return f"live-{code}"


def control_group(code: str) -> str:
    return f"live-control-{code}"


class LiveRunner:
    """A class's simulation, in the one process that owns the class."""

    def __init__(self, code: str, document: dict, narration: str, address: str | None = None):
        self.code = code
        self.group = group_name(code)
        self.live = live_simulation(address)
        self.live.load(document)
        self.document = document
        self.narration = narration
        self.last_frame: dict | None = None
        # Frames are numbered so that each watcher can acknowledge what it has shown (flow control).
        self.seq = 0
        self.students = 0
        self.teachers = 0
        self.without_teacher_since: float | None = time.monotonic()
        self.ended = False
        self.loop = RunLoop(self.live, f"live:{code}", self.send_frame, self.announce_state)
        self.background: list[asyncio.Task] = []
        self.control_channel: str | None = None

    @classmethod
    def resume(cls, code: str, saved: dict, address: str | None = None) -> "LiveRunner":
        """The class as its previous owner last saved it: the simulation is replayed to that time."""
        snapshot = saved["snapshot"]
        runner = cls(code, saved["record"]["base_document"], snapshot["narration"], address)
        runner.live.replay(saved["record"])
        runner.document, runner.seq, runner.last_frame = snapshot["document"], saved["seq"], snapshot["frame"]
        return runner

    # Life in this process

    async def open(self) -> None:
        RUNNERS[self.code] = self
        capacity.HELD.add(self)
        layer = get_channel_layer()
        self.control_channel = await layer.new_channel()
        await layer.group_add(control_group(self.code), self.control_channel)
        self.background = [
            asyncio.create_task(self.take_controls(), name=f"live-controls:{self.code}"),
            asyncio.create_task(self.keep_lease(), name=f"live-lease:{self.code}"),
        ]
        await self.save()
        if self.live.running:
            await self.on_start()

    async def close(self) -> None:
        self.live.close()
        RUNNERS.pop(self.code, None)
        capacity.HELD.discard(self)
        for task in [self.loop.task, *self.background]:
            if task is not None and task is not asyncio.current_task():
                task.cancel()
        await get_channel_layer().group_discard(control_group(self.code), self.control_channel)

    # What a newcomer needs to be in step at once, and what a successor needs to go on

    def snapshot(self) -> dict:
        return {"code": self.code, "document": self.document, "narration": self.narration,
                "state": self.live.state(), "frame": self.last_frame, "students": self.students}  # fmt: skip

    async def save(self) -> None:
        state = {"snapshot": self.snapshot(), "record": self.live.record(), "seq": self.seq, "ended": self.ended}
        await coordinator().save_state(self.code, state)

    # Broadcasting

    async def broadcast(self, kind: str, **content) -> None:
        await get_channel_layer().group_send(self.group, {"type": f"live.{kind}", **content})

    async def count_audience(self) -> None:
        students, self.teachers = await coordinator().audience(self.code)
        if self.teachers:
            self.without_teacher_since = None
        elif self.without_teacher_since is None:
            self.without_teacher_since = time.monotonic()
        if students != self.students:
            self.students = students
            await self.broadcast("audience", students=students)

    # Controls, from a teacher connected to any process

    async def take_controls(self) -> None:
        layer = get_channel_layer()
        while True:
            control = await layer.receive(self.control_channel)
            try:
                await dispatch(self, control["message"])
            except Exception as exc:
                error = refusal(exc, f"live class {self.code}", invalid="Those values are not valid.")
                if control.get("reply_to"):
                    await layer.send(control["reply_to"], {"type": "live.reply", "message": error})

    async def announce_state(self) -> None:
        await self.save()
        await self.broadcast("state", state=self.live.state())

    async def on_audience(self) -> None:
        await self.count_audience()

    async def on_start(self) -> None:
        self.loop.start()
        await self.announce_state()

    # Pausing lets a step in flight finish and be broadcast (and saved): the class is not cut off
    # in the middle of a broadcast or a save, as stopping the loop at once would.
    async def on_pause(self) -> None:
        self.live.running = False
        await self.announce_state()

    async def on_step(self) -> None:
        self.live.running = False
        await self.loop.frame()

    async def on_speed(self, speed: float) -> None:
        self.live.speed = speed
        await self.announce_state()

    async def on_reset(self, seed: int | None) -> None:
        self.live.running = False
        await self.loop.reset(seed)
        self.last_frame = None
        await self.announce_state()

    async def on_act(self, action: dict) -> None:
        await self.loop.call(self.live.act, action)
        await self.save()

    async def on_set(self, target: str, props: dict) -> None:
        await self.loop.call(self.live.set, target, props)
        self.document = self.live.document
        await self.save()

    async def on_narrate(self, text: str) -> None:
        self.narration = text
        await sync_to_async(LiveClass.objects.filter(code=self.code).update)(narration=text)
        await self.save()
        await self.broadcast("narration", text=text)

    async def on_end(self) -> None:
        await self.end("The teacher ended the class.")

    async def end(self, reason: str) -> None:
        if self.ended:
            return
        self.ended = True
        self.live.running = False
        await sync_to_async(LiveClass.objects.filter(code=self.code).update)(ended_at=timezone.now())
        await self.save()
        await self.close()
        await self.broadcast("ended", reason=reason)
        await coordinator().release(self.code)

    # The simulation itself: each frame goes to the whole class at once

    async def send_frame(self, frame: dict) -> None:
        # The wall-clock send time lets a watcher measure how late the frame reached it.
        frame["sent_at"] = time.time()
        self.seq += 1
        frame["seq"] = self.seq
        self.last_frame = frame
        # Serialised once for the whole class: the channel layer copies each message per watcher,
        # and copying a string is cheap where copying the frame's nested dicts is not.
        await self.broadcast("frame", text=json.dumps({"type": "frame", **frame}), sent_at=frame["sent_at"],
                             seq=self.seq, events=frame["events"])  # fmt: skip
        await self.save()

    # Ownership and the teacher's presence

    async def keep_lease(self) -> None:
        renewed = time.monotonic()
        while not self.ended:
            await asyncio.sleep(TICK_S)
            try:
                held = await coordinator().renew(self.code)
            except Exception:
                log.exception("live class %s: renewing the lease failed", self.code)
                # Unable to prove ownership for a whole lease, another process may take the class:
                # stop here, so that it never runs twice.
                held = time.monotonic() - renewed < LEASE_S
            else:
                renewed = time.monotonic() if held else renewed
            if not held:
                log.warning("live class %s: lease lost by %s; stopping here", self.code, PROCESS_ID)
                await self.close()
                return
            try:
                await self.count_audience()
            except Exception:
                log.exception("live class %s: counting the audience failed", self.code)
                continue
            waited = time.monotonic() - (self.without_teacher_since or time.monotonic())
            if self.without_teacher_since is not None and waited >= settings.LIVE_TEACHER_TIMEOUT_S:
                await self.end(TEACHER_LEFT)


RUNNERS: dict[str, LiveRunner] = {}
LIVE_CLASSES.set_function(lambda: len(RUNNERS))


# The classes this process owns, by code.
RUNNERS: dict[str, LiveRunner] = {}
LIVE_CLASSES.set_function(lambda: len(RUNNERS))
