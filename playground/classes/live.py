"""Live classes: one simulation per class, stepped once and broadcast to every watcher.

The process that holds a class's lease (playground.classes.coordination) runs it in a LiveRunner
(playground.classes.runner). Every process with watchers of a class keeps a LocalClass, which
reports its audience and, when the owner has gone, takes the lease and resumes the class from
its saved state.
"""

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from playground.classes import design
from playground.classes.coordination import PROCESS_ID, TICK_S, coordinator
from playground.classes.messages import TAKEOVER
from playground.classes.models import LiveClass
from playground.classes.runner import RUNNERS, LiveRunner, control_group
from playground.classes.saving import SNAPSHOT_PARTS, SavedClass
from playground.sim.protocol import ProtocolError

log = logging.getLogger(__name__)

# Joins and leaves within this time are reported together.
AUDIENCE_COALESCE_S = 0.05


async def run_class(live_class: LiveClass, address: str | None = None) -> None:
    """Run the class in this process if no process does: resumed from its saved state, if any.
    Its memory counts against `address`; MemoryFull when this process has none left for it.

    Single-flight: while this process starts or resumes the class, other calls wait for that
    start instead of making a second runner."""
    code = live_class.code
    if code in RUNNERS:
        return
    start = STARTING.get(code)
    if start is None:
        start = STARTING[code] = asyncio.create_task(start_class(live_class, address), name=f"live-start:{code}")
        start.add_done_callback(lambda _: STARTING.pop(code, None))
    # A caller that goes away (a socket that closed) must not cancel the start the others wait for.
    await asyncio.shield(start)


# The starts in progress in this process, by code.
STARTING: dict[str, asyncio.Task] = {}


async def start_class(live_class: LiveClass, address: str | None = None) -> None:
    code = live_class.code
    if not await coordinator().claim(code):
        return
    try:
        saved = await coordinator().load_state(code)
        saved = None if saved is None else SavedClass.decode(saved)
        if (saved is not None and saved.ended) or await sync_to_async(ended_in_database)(code):
            await coordinator().release(code)
            return
    except BaseException:
        await coordinator().release(code)
        raise
    if saved is None:
        try:
            runner = LiveRunner(code, live_class.document, live_class.narration, address=address)
        except BaseException:
            # Not run here after all (no memory left for it): another process, or this one later, may.
            await coordinator().release(code)
            raise
        await runner.open()
        return
    # Controls sent while this process catches up wait in this channel, and are applied after.
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(control_group(code), channel)
    try:
        runner = await catch_up(code, saved, address)
    except BaseException:
        await layer.group_discard(control_group(code), channel)
        raise
    if runner is None:
        await layer.group_discard(control_group(code), channel)
        return
    await runner.open(channel)
    log.warning("live class %s: taken over by %s at t=%.1f", code, PROCESS_ID, runner.live.t)
    moved = {"t": runner.live.t, "kind": "takeover", "target": None, "message": TAKEOVER, "template": TAKEOVER,
             "params": {}}  # fmt: skip
    await runner.broadcast("event", event=moved)


async def catch_up(code: str, saved: SavedClass, address: str | None = None) -> LiveRunner | None:
    """The class resumed from `saved` (in a worker thread), holding its lease all the while: a
    catch-up may take longer than a lease. None if the lease was lost meanwhile."""
    resume = asyncio.ensure_future(asyncio.to_thread(LiveRunner.resume, code, saved, address))
    while True:
        done, _ = await asyncio.wait([resume], timeout=TICK_S)
        if done:
            break
        try:
            held = await coordinator().renew(code)
        except Exception:
            log.exception("live class %s: renewing the lease while catching up failed", code)
            held = True  # the catch-up goes on; the runner's own renewals decide once it runs
        if not held:
            log.warning("live class %s: lease lost while catching up; %s lets it go", code, PROCESS_ID)
            await asyncio.wait([resume])  # a thread cannot be cancelled: its memory is freed once it ends
            if not resume.exception():
                resume.result().live.close()
            return None
    try:
        return resume.result()
    except BaseException:
        await coordinator().release(code)
        raise


def ended_in_database(code: str) -> bool:
    return LiveClass.objects.filter(code=code, ended_at__isnull=False).exists()


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
                if self.code in RUNNERS or self.code in STARTING:
                    continue
                if await coordinator().owner(self.code) is None:
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
        except BaseException:
            # Refused (no memory left for the class, say): nothing of this join stays behind.
            if local.students + local.teachers == 0 and LOCAL.get(live_class.code) is local:
                del LOCAL[live_class.code]
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
    saved = None if runner is not None else await coordinator().load_state(live_class.code, SNAPSHOT_PARTS)
    if runner is not None:
        current = runner.snapshot()
    elif saved is not None and "meta" in saved:
        current = SavedClass.decode(saved).snapshot(live_class.code)
    else:
        state = {"type": "state", "running": False, "speed": 1.0, "t": 0.0, "seed": 0}
        current = {"code": live_class.code, "document": live_class.document, "narration": live_class.narration,
                   "state": state, "frame": None}  # fmt: skip
    # This process's own watchers count as they are now; its last report may be a moment old.
    elsewhere, _ = await coordinator().audience(live_class.code, elsewhere=True)
    local = LOCAL.get(live_class.code)
    students = elsewhere + (local.students if local else 0)
    return {**current, "students": students, "findings": await design.findings(current["document"])}


TAKING_OVER = "This class is being taken over by another server; try again in a moment."


async def control(code: str, message: dict, reply_to: str | None = None, control_id: int | None = None) -> None:
    """Send a control to the process that runs the class, wherever it is. With `control_id`, the
    owner answers `reply_to` ("live.done" or "live.reply") with that id.

    Raises ProtocolError (for a teacher's control) when no process holds the class's lease: its
    owner died and no other has taken it over yet, so nobody would receive the control."""
    if reply_to is not None and await coordinator().owner(code) is None:
        raise ProtocolError(TAKING_OVER)
    await get_channel_layer().group_send(
        control_group(code), {"type": "live.control", "message": message, "reply_to": reply_to, "id": control_id}
    )
