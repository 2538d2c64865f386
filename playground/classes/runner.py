"""A live class's simulation, in the one process that owns the class (playground.classes.live).

The owner steps the simulation, sends each frame to the class's channel-layer group, where each
process's relay (playground.classes.relay) hands it to the watchers connected there, and saves
the class's state after every frame and change (playground.classes.saving), so that a successor
can resume it. Teachers may be connected to any process: their controls reach the owner through
the class's control group, and the owner answers each one.
"""

import asyncio
import json
import logging
import time

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone

from playground.classes import design
from playground.classes.checkpoints import CheckpointInvalid, ClassSimulation, class_simulation
from playground.classes.coordination import LEASE_S, PROCESS_ID, TICK_S, coordinator
from playground.classes.models import LiveClass
from playground.classes.saving import SavedClass, Saver
from playground.ops.metrics import LIVE_CLASSES
from playground.ops.outages import DATABASE_ERRORS
from playground.sim import capacity
from playground.sim.protocol import ProtocolError, dispatch, refusal
from playground.sim.runloop import RunLoop

log = logging.getLogger(__name__)

TEACHER_LEFT = "The teacher left, so the class has ended."
NOT_ENDED = ("The database is not answering, so the class was not ended: it goes on. "
             "Try ending it again in a minute.")  # fmt: skip


def group_name(code: str) -> str:
    return f"live-{code}"


def control_group(code: str) -> str:
    return f"live-control-{code}"


class LiveRunner:
    """A class's simulation, in the one process that owns the class."""

    def __init__(self, code: str, document: dict, narration: str, live: ClassSimulation | None = None,
                 address: str | None = None):  # fmt: skip
        self.code = code
        self.group = group_name(code)
        if live is None:
            live = class_simulation(address)
            live.load(document)
        self.live = live
        self.document = live.document
        # Bumped by every change to the document, so that it is saved only when it changed.
        self.document_version = 0
        self.narration = narration
        self.last_frame: dict | None = None
        self.frame_text: str | None = None
        # Frames are numbered so that each watcher can acknowledge what it has shown (flow control).
        self.seq = 0
        self.students = 0
        self.teachers = 0
        self.without_teacher_since: float | None = time.monotonic()
        self.ended = False
        self.loop = RunLoop(self.live, f"live:{code}", self.send_frame, self.announce_state)
        self.background: list[asyncio.Task] = []
        self.control_channel: str | None = None
        self.saver = Saver(self)

    @classmethod
    def resume(cls, code: str, saved: SavedClass, address: str | None = None) -> "LiveRunner":
        """The class as its previous owner last saved it, from its checkpoint (in a worker thread:
        the catch-up steps the engine)."""
        live = class_simulation(address)
        try:
            live.restore(saved.checkpoint, saved.since, saved.state["speed"], saved.state["running"])
        except CheckpointInvalid:
            # Not a loop of failed takeovers: the class goes on, from its document at time 0.
            log.error("live class %s: its checkpoint is not signed with this process's SECRET_KEY (every "
                      "process must have the same); the class starts again from its document", code)  # fmt: skip
            live = class_simulation(address)
            live.load(saved.document)
        runner = cls(code, live.document, saved.narration, live)
        # The owner saves a frame or two after sending it: numbering jumps a second's frames ahead
        # so that no watcher sees a number twice (its acknowledgements count by them).
        runner.seq = saved.seq + settings.SIM_FRAMES_PER_SECOND
        runner.last_frame = saved.frame
        runner.frame_text = None if saved.frame is None else json.dumps({"type": "frame", **saved.frame})
        return runner

    # Life in this process

    async def open(self, control_channel: str | None = None) -> None:
        """Run here. `control_channel` is one already in the control group: controls sent while
        this process was catching up wait there and are applied now."""
        RUNNERS[self.code] = self
        capacity.HELD.add(self)
        layer = get_channel_layer()
        if control_channel is None:
            control_channel = await layer.new_channel()
            await layer.group_add(control_group(self.code), control_channel)
        self.control_channel = control_channel
        self.background = [
            asyncio.create_task(self.take_controls(), name=f"live-controls:{self.code}"),
            asyncio.create_task(self.keep_lease(), name=f"live-lease:{self.code}"),
            asyncio.create_task(self.saver.run(), name=f"live-saver:{self.code}"),
        ]
        if self.live.latest is None:
            await self.loop.call(self.live.checkpoint)
        await self.saver.save()
        if self.live.running:
            await self.on_start()

    async def close(self) -> None:
        self.live.close()
        RUNNERS.pop(self.code, None)
        capacity.HELD.discard(self)
        for task in [self.loop.task, *self.background]:
            if task is not None and task is not asyncio.current_task():
                task.cancel()
        try:
            await get_channel_layer().group_discard(control_group(self.code), self.control_channel)
        except Exception:
            # The group's entry expires by itself; what matters is that this process stops running the class.
            log.exception("live class %s: leaving its control group failed", self.code)

    # What a newcomer needs to be in step at once, and what a successor needs to go on

    def snapshot(self) -> dict:
        return {"code": self.code, "document": self.document, "narration": self.narration,
                "state": self.live.state(), "frame": self.last_frame, "students": self.students}  # fmt: skip

    def save(self) -> None:
        """Have the class's newest state saved soon, by its saver (frames never wait for Redis)."""
        self.saver.request()

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
            answer = {"type": "live.done", "id": control.get("id")}
            try:
                await dispatch(self, control["message"])
            except Exception as exc:
                error = refusal(exc, f"live class {self.code}", invalid="Those values are not valid.")
                answer = {"type": "live.reply", "id": control.get("id"), "message": error}
            # Only a control with an id waits for an answer (a page connected to an older process sends none).
            if control.get("reply_to") and (answer["type"] == "live.reply" or control.get("id") is not None):
                try:
                    await layer.send(control["reply_to"], answer)
                except Exception:
                    log.exception("live class %s: answering a control failed", self.code)

    async def announce_state(self) -> None:
        self.save()
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
        self.last_frame = self.frame_text = None
        await self.announce_state()

    async def on_act(self, action: dict) -> None:
        await self.loop.call(self.live.act, action)
        self.save()

    async def on_set(self, target: str, props: dict) -> None:
        await self.loop.call(self.live.set, target, props)
        self.document = self.live.document
        self.document_version += 1
        self.save()
        await self.broadcast("design", message=await design.design_message(self.document))

    async def on_narrate(self, text: str) -> None:
        self.narration = text
        await sync_to_async(LiveClass.objects.filter(code=self.code).update)(narration=text)
        self.save()
        await self.broadcast("narration", text=text)

    async def on_end(self) -> None:
        await self.end("The teacher ended the class.")

    async def end(self, reason: str) -> None:
        """End the class for everyone, or, when the database does not answer, not at all: the class
        goes on whole and ProtocolError says so (the teacher's timeout tries again each second)."""
        if self.ended:
            return
        try:
            await sync_to_async(LiveClass.objects.filter(code=self.code).update)(ended_at=timezone.now())
        except DATABASE_ERRORS as exc:
            log.error("live class %s: the database did not answer, so the class was not ended: %s", self.code, exc)
            raise ProtocolError(NOT_ENDED) from exc
        self.ended = True
        self.live.running = False
        # Saved as ended before this process lets go, so that no successor resumes it (it checks
        # the database too, should this save fail).
        await self.saver.save()
        await self.close()
        for step in (self.broadcast("ended", reason=reason), coordinator().release(self.code)):
            try:
                await step
            except Exception:
                log.exception("live class %s: ended, but telling the watchers or releasing the lease failed", self.code)

    # The simulation itself: each frame goes to the whole class at once

    async def send_frame(self, frame: dict) -> None:
        # The wall-clock send time lets a watcher measure how late the frame reached it.
        frame["sent_at"] = time.time()
        self.seq += 1
        frame["seq"] = self.seq
        self.last_frame = frame
        # Serialised once for the whole class: the channel layer copies each message per watcher,
        # and copying a string is cheap where copying the frame's nested dicts is not. The saver
        # keeps the same text.
        self.frame_text = json.dumps({"type": "frame", **frame})
        self.save()
        await self.broadcast("frame", text=self.frame_text, sent_at=frame["sent_at"], seq=self.seq,
                             events=frame["events"])  # fmt: skip

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
                try:
                    await self.end(TEACHER_LEFT)
                except ProtocolError:
                    continue  # the database did not answer: the class goes on, and the next tick tries again


# The classes this process owns, by code.
RUNNERS: dict[str, LiveRunner] = {}
LIVE_CLASSES.set_function(lambda: len(RUNNERS))
