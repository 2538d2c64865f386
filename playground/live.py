"""Live classes: one simulation per class, stepped once and broadcast to every watcher.

A LiveRunner lives in the process that opened the class (the registry below); its frames go to
the class's channel-layer group, and each process's relay (playground.relay) hands them to the
watchers connected there. A watcher that falls behind drops stale frames (live_consumer), so
nothing queues without bound and one slow student never slows the others.
"""

import asyncio
import json
import logging
import time
from collections.abc import Callable

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone

from playground.models import LiveClass
from playground.simulation import LiveSimulation

log = logging.getLogger(__name__)


def group_name(code: str) -> str:
    return f"live-{code}"


class LiveRunner:
    def __init__(self, code: str, document: dict, narration: str):
        self.code = code
        self.group = group_name(code)
        self.live = LiveSimulation(settings.SIM_FRAMES_PER_SECOND)
        self.live.load(document)
        self.document = document
        self.narration = narration
        self.last_frame: dict | None = None
        # Frames are numbered so that each watcher can acknowledge what it has shown (flow control).
        self.seq = 0
        self.students = 0
        self.teachers = 0
        self.ended = False
        self.lock = asyncio.Lock()
        self.task: asyncio.Task | None = None
        self.watchdog: asyncio.Task | None = None
        self.teacher_present = asyncio.Event()

    # What a newcomer needs to be in step at once

    def snapshot(self) -> dict:
        return {"code": self.code, "document": self.document, "narration": self.narration,
                "state": self.live.state(), "frame": self.last_frame, "students": self.students}  # fmt: skip

    # Broadcasting

    async def broadcast(self, kind: str, **content) -> None:
        await get_channel_layer().group_send(self.group, {"type": f"live.{kind}", **content})

    async def announce_audience(self) -> None:
        await self.broadcast("audience", students=self.students)

    # Controls, from the teacher

    async def call(self, function: Callable, *args):
        async with self.lock:
            return await asyncio.to_thread(function, *args)

    async def start(self) -> None:
        self.live.running = True
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self.run(), name=f"live:{self.code}")
        await self.broadcast("state", state=self.live.state())

    async def pause(self) -> None:
        self.live.running = False
        await self.broadcast("state", state=self.live.state())

    async def step(self) -> None:
        self.live.running = False
        await self.send_frame()

    async def set_speed(self, speed: float) -> None:
        self.live.speed = speed
        await self.broadcast("state", state=self.live.state())

    async def reset(self, seed: int) -> None:
        self.live.running = False
        await self.call(self.live.reset, seed)
        self.last_frame = None
        await self.broadcast("state", state=self.live.state())

    async def act(self, action: dict) -> None:
        await self.call(self.live.act, action)

    async def change(self, target: str, props: dict) -> None:
        await self.call(self.live.set, target, props)

    async def narrate(self, text: str) -> None:
        self.narration = text
        await sync_to_async(LiveClass.objects.filter(code=self.code).update)(narration=text)
        await self.broadcast("narration", text=text)

    async def end(self, reason: str) -> None:
        if self.ended:
            return
        self.ended = True
        self.live.running = False
        RUNNERS.pop(self.code, None)
        await sync_to_async(LiveClass.objects.filter(code=self.code).update)(ended_at=timezone.now())
        await self.broadcast("ended", reason=reason)
        for task in (self.task, self.watchdog):
            if task is not None and task is not asyncio.current_task():
                task.cancel()

    # The simulation itself

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        interval = 1.0 / self.live.frames_per_second
        deadline = loop.time()
        while self.live.running and not self.ended:
            await self.send_frame()
            deadline = max(deadline + interval, loop.time())
            await asyncio.sleep(deadline - loop.time())

    async def send_frame(self) -> None:
        try:
            frame = await self.call(self.live.advance)
        except Exception:
            log.exception("live class %s: step failed", self.code)
            self.live.running = False
            await self.broadcast("state", state=self.live.state())
            return
        # The wall-clock send time lets a watcher measure how late the frame reached it.
        frame["sent_at"] = time.time()
        self.seq += 1
        frame["seq"] = self.seq
        self.last_frame = frame
        # Serialised once for the whole class: the channel layer copies each message per watcher,
        # and copying a string is cheap where copying the frame's nested dicts is not.
        await self.broadcast("frame", text=json.dumps({"type": "frame", **frame}), sent_at=frame["sent_at"],
                             seq=self.seq, events=frame["events"])  # fmt: skip

    # Who is watching

    def teacher_joined(self) -> None:
        self.teachers += 1
        self.teacher_present.set()

    def teacher_left(self) -> None:
        self.teachers -= 1
        if self.teachers == 0:
            self.teacher_present.clear()
            if self.watchdog is None or self.watchdog.done():
                self.watchdog = asyncio.create_task(self.end_without_teacher(), name=f"live-watchdog:{self.code}")

    async def end_without_teacher(self) -> None:
        """End the class when no teacher comes back within LIVE_TEACHER_TIMEOUT_S."""
        try:
            await asyncio.wait_for(self.teacher_present.wait(), settings.LIVE_TEACHER_TIMEOUT_S)
        except TimeoutError:
            await self.end("The teacher left, so the class has ended.")


RUNNERS: dict[str, LiveRunner] = {}


def runner_for(live_class: LiveClass) -> LiveRunner:
    """The running class in this process, started on first use."""
    runner = RUNNERS.get(live_class.code)
    if runner is None:
        runner = LiveRunner(live_class.code, live_class.document, live_class.narration)
        RUNNERS[live_class.code] = runner
        runner.watchdog = asyncio.create_task(runner.end_without_teacher(), name=f"live-watchdog:{runner.code}")
    return runner
