"""The simulation WebSocket: one connection drives one simulation and receives its frames."""

import asyncio
from collections import deque

from channels.db import database_sync_to_async

import engine
from playground.ops.limits import SERVER_BUSY, refuse, socket_address
from playground.ops.metrics import FRAMES_SENT
from playground.ops.outages import DATABASE_ERRORS, close_for_outage
from playground.ops.warmup import WARMUP
from playground.sim import capacity
from playground.sim.protocol import EDITOR, ProtocolError, refusal
from playground.sim.runloop import RunLoop
from playground.sim.simulation import live_simulation
from playground.sim.socket import MessageSocket
from playground.topologies.models import Topology

NEW_SLUG = "new"
BUSY = "This server is running as many simulations as it can right now; the page tries again shortly."
# Flow control: frames sent but not yet acknowledged ("ack"). With this many outstanding the
# simulation waits for the page instead of stepping, so a page that stops reading (a frozen tab,
# a script) holds a bounded number of frames in the server's buffers, not an ever-growing queue.
# Two seconds at 10 frames a second; the page acknowledges about once a second.
FRAME_WINDOW = 20


class SimulationConsumer(MessageSocket):
    kind = "sim"
    accepted = EDITOR
    # One page drives one simulation: nothing is ever sent to this socket through the channel
    # layer, so it needs none, and a Redis outage cannot cut an editor off in mid-session.
    channel_layer_alias = None

    async def connect(self) -> None:
        self.slug = self.scope["url_route"]["kwargs"]["slug"]
        self.warming: asyncio.Task | None = None
        self.where = f"simulation {self.slug}"
        self.live = live_simulation(socket_address(self.scope))
        self.seq = 0
        self.unacked: deque[int] = deque()
        self.loop = RunLoop(self.live, f"simulation:{id(self):x}", self.send_frame, self.step_failed,
                            ready=lambda: len(self.unacked) < FRAME_WINDOW)  # fmt: skip
        if not await self.open():
            return
        if capacity.full():
            await refuse(self, BUSY, SERVER_BUSY)
            return
        capacity.HELD.add(self)
        try:
            document = None if self.slug == NEW_SLUG else await self.saved_document()
        except DATABASE_ERRORS:
            await close_for_outage(self)
            return
        if self.slug != NEW_SLUG and document is None:
            await self.send_error("There is no topology at this link.")
            await self.close(code=4404)
            return
        # While the kernels compile the page gets its hello at once and sends its document itself.
        if document is not None and WARMUP.ready:
            try:
                await self.load(document, announce=False)
            except engine.TopologyError as exc:
                # The server has no memory for it now (or the engine no longer takes it): the page
                # is told why, stays connected, and may send a "load" again.
                await self.send_json(refusal(exc, self.where, invalid="The saved topology has problems."))
        await self.send_json(self.hello())
        if not WARMUP.ready:
            self.warming = asyncio.create_task(self.tell_when_warm(), name=f"warm-notice:{id(self):x}")

    def hello(self) -> dict:
        live = self.live
        return {"type": "hello", "slug": self.slug, "speed": live.speed, "running": live.running, "t": live.t,
                "loaded": live.loaded, "engine": WARMUP.status()}  # fmt: skip

    async def tell_when_warm(self) -> None:
        await WARMUP.wait()
        await self.send_json({"type": "engine", **WARMUP.status()})

    async def disconnect(self, code: int) -> None:
        if self.warming is not None:
            self.warming.cancel()
        await super().disconnect(code)
        capacity.HELD.discard(self)
        await self.loop.stop()
        self.live.close()

    # Messages from the browser

    async def on_load(self, document: dict) -> None:
        await self.load(document, announce=True)

    async def on_start(self) -> None:
        self.require_loaded()
        self.loop.start()
        await self.send_json(self.live.state())

    async def on_pause(self) -> None:
        await self.loop.stop()
        await self.send_json(self.live.state())

    async def on_step(self) -> None:
        self.require_loaded()
        await self.loop.stop()
        await self.loop.frame()

    async def on_speed(self, speed: float) -> None:
        self.live.speed = speed
        await self.send_json(self.live.state())

    async def on_reset(self, seed: int | None) -> None:
        await self.loop.stop()
        await self.loop.reset(seed)
        await self.send_json(self.live.state())

    async def on_act(self, action: dict) -> None:
        self.require_loaded()
        await self.loop.call(self.live.act, action)

    async def on_set(self, target: str, props: dict) -> None:
        self.require_loaded()
        await self.loop.call(self.live.set, target, props)

    async def on_ack(self, seq: int) -> None:
        """The page has shown every frame up to `seq`: those no longer count against its window."""
        while self.unacked and self.unacked[0] <= seq:
            self.unacked.popleft()

    # The running simulation

    async def send_frame(self, frame: dict) -> None:
        self.seq += 1
        self.unacked.append(self.seq)
        await self.send_json({"type": "frame", "seq": self.seq, **frame})
        FRAMES_SENT.labels("sim").inc()
        for event in frame.get("events", []):
            await self.send_json({"type": "event", **event})

    async def step_failed(self) -> None:
        await self.send_error("The simulation stopped because of an internal error; press Reset.")

    async def load(self, document: dict, announce: bool) -> None:
        await self.loop.stop()
        findings = await self.loop.call(self.live.load, document)
        if announce:
            await self.send_json({**self.live.state(), "findings": findings})

    def require_loaded(self) -> None:
        if not self.live.loaded:
            raise ProtocolError('Send a "load" message with a topology first.')

    @database_sync_to_async
    def saved_document(self) -> dict | None:
        topology = Topology.objects.filter(slug=self.slug).only("document").first()
        return topology.document if topology else None
