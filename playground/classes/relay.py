"""Per-process fan-out of a live class's broadcasts.

Each process that has watchers of a class adds one channel, its relay, to the class's group.
The runner's group_send therefore costs one channel-layer message per process, not one per
student; the relay hands each message to the watchers connected to this process. A watcher's
send only queues bytes for its own socket, so a slow student never holds up the others.
"""

import asyncio
import logging

from channels.layers import get_channel_layer

log = logging.getLogger(__name__)


class ClassRelay:
    def __init__(self, group: str):
        self.group = group
        self.watchers: set = set()
        self.channel: str | None = None
        self.task: asyncio.Task | None = None

    async def start(self) -> None:
        layer = get_channel_layer()
        self.channel = await layer.new_channel()
        await layer.group_add(self.group, self.channel)
        self.task = asyncio.create_task(self.pump(), name=f"relay:{self.group}")

    async def stop(self) -> None:
        self.task.cancel()
        await get_channel_layer().group_discard(self.group, self.channel)

    async def pump(self) -> None:
        layer = get_channel_layer()
        while True:
            message = await layer.receive(self.channel)
            for watcher in list(self.watchers):
                try:
                    await watcher.deliver(message)
                except Exception:
                    log.exception("relay %s: a watcher failed; dropping it", self.group)
                    self.watchers.discard(watcher)


RELAYS: dict[str, ClassRelay] = {}


async def watch(group: str, watcher) -> None:
    """Deliver the group's broadcasts to `watcher` (anything with an async `deliver(message)`)."""
    relay = RELAYS.get(group)
    if relay is None:
        relay = RELAYS[group] = ClassRelay(group)
        try:
            await relay.start()
        except Exception:
            # A relay that never joined its group would take watchers and hand them nothing.
            RELAYS.pop(group, None)
            raise
    relay.watchers.add(watcher)


async def unwatch(group: str, watcher) -> None:
    relay = RELAYS.get(group)
    if relay is None:
        return
    relay.watchers.discard(watcher)
    if not relay.watchers:
        del RELAYS[group]
        await relay.stop()
