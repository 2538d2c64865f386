"""Stepping a simulation in real time: the one run loop of the editor's socket and of a live class."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from playground.sim.simulation import LiveSimulation

log = logging.getLogger(__name__)


class RunLoop:
    """Steps one LiveSimulation: a frame each 1 / frames_per_second of wall-clock time while it
    runs, handed to `publish`. Every engine call runs in a worker thread, one at a time: the
    kernels release the GIL and must stay off the event loop. When a step raises, the simulation
    stops and `failed` is awaited."""

    def __init__(self, live: LiveSimulation, name: str, publish: Callable[[dict], Awaitable[None]],
                 failed: Callable[[], Awaitable[None]], ready: Callable[[], bool] = lambda: True):  # fmt: skip
        self.live = live
        self.name = name
        self.publish = publish
        self.failed = failed
        # Whether the receiver can take another frame now; while not, the loop waits without stepping.
        self.ready = ready
        self.lock = asyncio.Lock()
        self.task: asyncio.Task | None = None

    async def call(self, function: Callable, *args):
        # A cancelled caller still waits for its thread, so the lock never frees while the engine works.
        async with self.lock:
            call = asyncio.ensure_future(asyncio.to_thread(function, *args))
            try:
                return await asyncio.shield(call)
            except asyncio.CancelledError:
                await asyncio.wait([call])
                raise

    def start(self) -> None:
        self.live.running = True
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self.run(), name=self.name)

    async def stop(self) -> None:
        """Stop now: a step in flight finishes in its thread, but its frame is not published.
        (Setting live.running to False instead lets the loop publish that frame, then end.)"""
        self.live.running = False
        task, self.task = self.task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    async def run(self) -> None:
        """Frames at a steady wall-clock rate: a slow step delays the next frame, never piles up."""
        loop = asyncio.get_running_loop()
        interval = 1.0 / self.live.frames_per_second
        deadline = loop.time()
        while self.live.running:
            if self.ready():
                await self.frame()
            deadline = max(deadline + interval, loop.time())
            await asyncio.sleep(deadline - loop.time())

    async def frame(self) -> None:
        """Step one frame and publish it."""
        try:
            frame = await self.call(self.live.advance)
        except Exception:
            log.exception("%s: simulation step failed", self.name)
            self.live.running = False
            await self.failed()
            return
        await self.publish(frame)

    async def reset(self, seed: int | None) -> None:
        """Back to t = 0 with `seed`, or with the simulation's own seed when None."""
        await self.call(self.live.reset, self.live.seed if seed is None else seed)
