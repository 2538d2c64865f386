"""Live classes: one simulation per class, stepped once and broadcast to every watcher.

The process that holds a class's lease (playground.classes.coordination) runs it in a LiveRunner: it
steps the simulation, sends each frame to the class's channel-layer group, where each process's
relay (playground.classes.relay) hands it to the watchers connected there, and saves the class's state
after every change. Teachers may be connected to any process: their controls travel to the
owner through the class's control group. Every process with watchers of a class keeps a
LocalClass, which reports its audience and, when the owner has gone, takes the lease and resumes
the class from its saved state.
"""

import asyncio
import json
import logging
import time

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone

from playground.classes.coordination import LEASE_S, PROCESS_ID, coordinator
from playground.classes.messages import TAKEOVER
from playground.classes.models import LiveClass
from playground.ops.metrics import LIVE_CLASSES
from playground.sim import capacity
from playground.sim.protocol import dispatch, refusal
from playground.sim.runloop import RunLoop
from playground.sim.simulation import live_simulation

log = logging.getLogger(__name__)

# How often owners renew their leases and processes report their audience and check the owner.
TICK_S = 1.0
# Joins and leaves within this time are reported together.
AUDIENCE_COALESCE_S = 0.05
TEACHER_LEFT = "The teacher left, so the class has ended."


def group_name(code: str) -> str:
    return f"live-{code}"


def control_group(code: str) -> str:
    return f"live-control-{code}"


class LiveRunner:
    """A class's simulation, in the one process that owns the class."""

    def __init__(self, code: str, document: dict, narration: str):
        self.code = code
        self.group = group_name(code)
        self.live = live_simulation()
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
    def resume(cls, code: str, saved: dict) -> "LiveRunner":
        """The class as its previous owner last saved it: the simulation is replayed to that time."""
        snapshot = saved["snapshot"]
        runner = cls(code, saved["record"]["base_document"], snapshot["narration"])
        runner.live.replay(saved["record"])
        runner.document, runner.seq, runner.last_frame = snapshot["document"], saved["seq"], snapshot["frame"]
        return runner

    # Life in this process

    async def open(self) -> None:
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


async def run_class(live_class: LiveClass) -> None:
    """Run the class in this process if no process does: resumed from its saved state, if any."""
    code = live_class.code
    if code in RUNNERS or not await coordinator().claim(code):
        return
    saved = await coordinator().load_state(code)
    if saved is not None and saved.get("ended"):
        await coordinator().release(code)
        return
    if saved is None:
        runner = LiveRunner(code, live_class.document, live_class.narration)
    else:
        runner = await asyncio.to_thread(LiveRunner.resume, code, saved)
    RUNNERS[code] = runner
    capacity.HELD.add(runner)
    await runner.open()
    if saved is not None:
        log.warning("live class %s: taken over by %s at t=%.1f", code, PROCESS_ID, runner.live.t)
        moved = {"t": runner.live.t, "kind": "takeover", "target": None, "message": TAKEOVER, "template": TAKEOVER,
                 "params": {}}  # fmt: skip
        await runner.broadcast("event", event=moved)


class LocalClass:
    """This process's part in one class: how many watch here, and a watch on the class's owner."""

    def __init__(self, live_class: LiveClass):
        self.live_class = live_class
        self.code = live_class.code
        self.students = 0
        self.teachers = 0
        self.task: asyncio.Task | None = None
        self.report: asyncio.Task | None = None

    def changed(self) -> None:
        """Report this process's audience soon, and have the owner count everyone again. A whole
        class joining or leaving at once costs one report, not one Redis round trip per watcher."""
        if self.report is None or self.report.done():
            self.report = asyncio.create_task(self.report_audience(), name=f"live-audience:{self.code}")

    async def report_audience(self) -> None:
        await asyncio.sleep(AUDIENCE_COALESCE_S)
        try:
            await coordinator().report_audience(self.code, self.students, self.teachers)
            await control(self.code, {"type": "audience"})
        except Exception:
            log.exception("live class %s: reporting the audience failed", self.code)

    async def watch_owner(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            try:
                await coordinator().report_audience(self.code, self.students, self.teachers)
                if self.code not in RUNNERS and await coordinator().owner(self.code) is None:
                    await run_class(self.live_class)
            except Exception:
                log.exception("live class %s: the watch on its owner failed", self.code)


LOCAL: dict[str, LocalClass] = {}


async def join(live_class: LiveClass, teacher: bool = False) -> dict:
    """Count a watcher here, make sure the class runs somewhere, and return what it needs first."""
    local = LOCAL.get(live_class.code)
    if local is None:
        local = LOCAL[live_class.code] = LocalClass(live_class)
        local.task = asyncio.create_task(local.watch_owner(), name=f"live-local:{live_class.code}")
        # The first watcher here makes sure the class runs somewhere; after that the watch does.
        await run_class(live_class)
    if teacher:
        local.teachers += 1
    else:
        local.students += 1
    local.changed()
    return await snapshot(live_class)


async def leave(code: str, teacher: bool = False) -> None:
    local = LOCAL.get(code)
    if local is None:
        return
    if teacher:
        local.teachers -= 1
    else:
        local.students -= 1
    if local.students + local.teachers > 0:
        local.changed()
        return
    # The last watcher here left: say so at once, since no watch loop will report it later.
    LOCAL.pop(code, None)
    local.task.cancel()
    await coordinator().report_audience(code, 0, 0)
    await control(code, {"type": "audience"})


async def become_teacher(code: str) -> None:
    local = LOCAL[code]
    local.students -= 1
    local.teachers += 1
    local.changed()


async def snapshot(live_class: LiveClass) -> dict:
    """The class as it is now, from its runner here or from the state its owner saved."""
    runner = RUNNERS.get(live_class.code)
    saved = None if runner is not None else await coordinator().load_state(live_class.code)
    if runner is not None:
        current = runner.snapshot()
    elif saved is not None:
        current = saved["snapshot"]
    else:
        state = {"type": "state", "running": False, "speed": 1.0, "t": 0.0, "seed": 0}
        current = {"code": live_class.code, "document": live_class.document, "narration": live_class.narration,
                   "state": state, "frame": None}  # fmt: skip
    # This process's own watchers count as they are now; its last report may be a moment old.
    elsewhere, _ = await coordinator().audience(live_class.code, elsewhere=True)
    local = LOCAL.get(live_class.code)
    return {**current, "students": elsewhere + (local.students if local else 0)}


async def control(code: str, message: dict, reply_to: str | None = None) -> None:
    """Send a teacher's control to the process that runs the class, wherever it is."""
    await get_channel_layer().group_send(
        control_group(code), {"type": "live.control", "message": message, "reply_to": reply_to}
    )
