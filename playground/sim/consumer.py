"""The simulation WebSocket: one connection drives one simulation and receives its frames."""

import asyncio
import json
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

import engine
from playground.ops.limits import SERVER_BUSY, refuse, socket_refused
from playground.ops.metrics import FRAMES_SENT, WEBSOCKETS
from playground.ops.outages import DATABASE_ERRORS, close_for_outage
from playground.ops.request_ids import REQUEST_ID, connection_id
from playground.ops.throttle import MessageBudget
from playground.sim import capacity
from playground.sim.protocol import ProtocolError, parse_message
from playground.sim.simulation import live_simulation
from playground.topologies.models import Topology

log = logging.getLogger(__name__)

NEW_SLUG = "new"
BUSY = "This server is running as many simulations as it can right now; the page tries again shortly."


class SimulationConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        REQUEST_ID.set(connection_id(self.scope))
        WEBSOCKETS.labels("sim").inc()
        self.slug = self.scope["url_route"]["kwargs"]["slug"]
        self.live = live_simulation()
        self.engine_lock = asyncio.Lock()
        self.runner: asyncio.Task | None = None
        self.budget = MessageBudget(settings.WS_MESSAGES_PER_SECOND, settings.WS_MESSAGE_BURST)
        await self.accept()
        if await socket_refused(self):
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
        if document is not None:
            await self.load(document, announce=False)
        await self.send_json(
            {
                "type": "hello",
                "slug": self.slug,
                "speed": self.live.speed,
                "running": self.live.running,
                "t": self.live.t,
                "loaded": self.live.loaded,
            }
        )

    async def disconnect(self, code: int) -> None:
        WEBSOCKETS.labels("sim").dec()
        capacity.HELD.discard(self)
        await self.stop_runner()
        self.live.close()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self.budget.allow():
            if self.budget.should_say_so:
                await self.send_error(self.budget.refusal())
            return
        try:
            message = parse_message(text_data, bytes_data)
            await getattr(self, "on_" + message["type"])(message)
        except ProtocolError as exc:
            await self.send_error(str(exc))
        except engine.TopologyError as exc:
            await self.send_error("The topology has problems.", exc.problems)
        except engine.ActionError as exc:
            await self.send_error(str(exc))
        except Exception:
            log.exception("message failed on %s", self.slug)
            await self.send_error("The server could not handle that message; the connection stays open.")

    # Messages from the browser

    async def on_load(self, message: dict) -> None:
        await self.load(message["document"], announce=True)

    async def on_start(self, message: dict) -> None:
        self.require_loaded()
        self.live.running = True
        if self.runner is None or self.runner.done():
            self.runner = asyncio.create_task(self.run(), name=f"simulation:{self.channel_name}")
        await self.send_json(self.live.state())

    async def on_pause(self, message: dict) -> None:
        await self.stop_runner()
        await self.send_json(self.live.state())

    async def on_step(self, message: dict) -> None:
        self.require_loaded()
        await self.stop_runner()
        await self.send_frame()

    async def on_speed(self, message: dict) -> None:
        self.live.speed = float(message["value"])
        await self.send_json(self.live.state())

    async def on_reset(self, message: dict) -> None:
        await self.stop_runner()
        await self.call_engine(self.live.reset, message.get("seed", self.live.seed))
        await self.send_json(self.live.state())

    async def on_act(self, message: dict) -> None:
        self.require_loaded()
        action = {key: value for key, value in message.items() if key != "type"}
        await self.call_engine(self.live.act, action)

    async def on_set(self, message: dict) -> None:
        self.require_loaded()
        await self.call_engine(self.live.set, message["target"], message["props"])

    # The running simulation

    async def run(self) -> None:
        """Send frames at a steady wall-clock rate; a slow step delays the next frame, never piles up."""
        loop = asyncio.get_running_loop()
        interval = 1.0 / self.live.frames_per_second
        deadline = loop.time()
        while self.live.running:
            await self.send_frame()
            deadline = max(deadline + interval, loop.time())
            await asyncio.sleep(deadline - loop.time())

    async def send_frame(self) -> None:
        try:
            frame = await self.call_engine(self.live.advance)
        except Exception:
            log.exception("simulation step failed for %s", self.slug)
            self.live.running = False
            await self.send_error("The simulation stopped because of an internal error; press Reset.")
            return
        await self.send_json({"type": "frame", **frame})
        FRAMES_SENT.labels("sim").inc()
        for event in frame.get("events", []):
            await self.send_json({"type": "event", **event})

    async def stop_runner(self) -> None:
        self.live.running = False
        runner, self.runner = self.runner, None
        if runner is not None and runner is not asyncio.current_task():
            runner.cancel()
            try:
                await runner
            except asyncio.CancelledError:
                pass

    async def load(self, document: dict, announce: bool) -> None:
        await self.stop_runner()
        findings = await self.call_engine(self.live.load, document)
        if announce:
            await self.send_json({**self.live.state(), "findings": findings})

    async def call_engine(self, function, *args):
        # One engine call at a time, in a thread: the kernels release the GIL. A cancelled
        # caller still waits for its thread, so the lock never frees while the engine works.
        async with self.engine_lock:
            call = asyncio.ensure_future(asyncio.to_thread(function, *args))
            try:
                return await asyncio.shield(call)
            except asyncio.CancelledError:
                await asyncio.wait([call])
                raise

    def require_loaded(self) -> None:
        if not self.live.loaded:
            raise ProtocolError('Send a "load" message with a topology first.')

    # Sending

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content))

    async def send_error(self, message: str, problems: list | None = None) -> None:
        await self.send_json({"type": "error", "message": message, "problems": problems or []})

    @database_sync_to_async
    def saved_document(self) -> dict | None:
        topology = Topology.objects.filter(slug=self.slug).only("document").first()
        return topology.document if topology else None
