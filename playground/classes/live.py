"""Live classes: one simulation per class, stepped once and broadcast to every watcher.

The process that holds a class's lease (playground.classes.coordination) runs it in a LiveRunner
(playground.classes.runner). Every process with watchers of a class keeps a LocalClass, which
reports its audience and, when the owner has gone, takes the lease and resumes the class from
its saved state.
"""

import asyncio
import logging

from channels.layers import get_channel_layer

from playground.classes.coordination import PROCESS_ID, TICK_S, coordinator
from playground.classes.messages import TAKEOVER
from playground.classes.models import LiveClass
from playground.classes.runner import RUNNERS, LiveRunner, control_group
from playground.sim.simulation import MemoryFull

log = logging.getLogger(__name__)

# Joins and leaves within this time are reported together.
AUDIENCE_COALESCE_S = 0.05


async def run_class(live_class: LiveClass, address: str | None = None) -> None:
    """Run the class in this process if no process does: resumed from its saved state, if any.
    Its memory counts against `address`; MemoryFull when this process has none left for it."""
    code = live_class.code
    if code in RUNNERS or not await coordinator().claim(code):
        return
    saved = await coordinator().load_state(code)
    if saved is not None and saved.get("ended"):
        await coordinator().release(code)
        return
    try:
        if saved is None:
            runner = LiveRunner(code, live_class.document, live_class.narration, address)
        else:
            runner = await asyncio.to_thread(LiveRunner.resume, code, saved, address)
    except MemoryFull:
        # Not run here after all: another process, or this one once memory is free, may take it.
        await coordinator().release(code)
        raise
    await runner.open()
    if saved is not None:
        log.warning("live class %s: taken over by %s at t=%.1f", code, PROCESS_ID, runner.live.t)
        moved = {"t": runner.live.t, "kind": "takeover", "target": None, "message": TAKEOVER, "template": TAKEOVER,
                 "params": {}}  # fmt: skip
        await runner.broadcast("event", event=moved)


class LocalClass:
    """This process's part in one class: how many watch here, and a watch on the class's owner."""

    def __init__(self, live_class: LiveClass, address: str | None = None):
        self.live_class = live_class
        self.address = address  # of the first watcher here, whose share runs the class here
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
                    await run_class(self.live_class, self.address)
            except Exception:
                log.exception("live class %s: the watch on its owner failed", self.code)


LOCAL: dict[str, LocalClass] = {}


async def join(live_class: LiveClass, teacher: bool = False, address: str | None = None) -> dict:
    """Count a watcher here, make sure the class runs somewhere, and return what it needs first.
    MemoryFull, counting no one, when the class must run here and this process has no memory for it."""
    local = LOCAL.get(live_class.code)
    if local is None:
        local = LOCAL[live_class.code] = LocalClass(live_class, address)
        local.task = asyncio.create_task(local.watch_owner(), name=f"live-local:{live_class.code}")
        # The first watcher here makes sure the class runs somewhere; after that the watch does.
        try:
            await run_class(live_class, address)
        except MemoryFull:
            if local.students + local.teachers == 0:
                LOCAL.pop(live_class.code, None)
                local.task.cancel()
            raise
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
