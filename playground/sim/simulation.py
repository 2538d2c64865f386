"""One running simulation as a browser drives it: document, seed, speed and the engine's state.

Not thread-safe on purpose: the consumer serialises every call with a lock and runs each one
in a worker thread, because the engine's kernels release the GIL and must stay off the event loop.
"""

import threading
import weakref

import engine
from playground.ops.metrics import ENGINE_STEP

# The engine refuses longer single steps; a replay walks in slices of this length.
REPLAY_SLICE_S = 600.0
# Stories of sampled requests each frame carries (engine.Simulation's `stories`): the canvas moves
# them along their hops and the story panel explains them (static/js/playback/stories.js). 20 a
# frame are about 12 KB, ten times a second at speed 1, to every watcher of a class; the engine
# aims at half of them per step, which keeps a dot on most edges without flooding the socket.
STORIES_PER_FRAME = 20


MIB = 1024 * 1024


class MemoryFull(engine.TopologyError):
    """A topology refused because the process, or the client's address, has no memory left for it:
    a valid document, refused for now; `message` says so in one sentence."""

    def __init__(self, message: str):
        super().__init__([{"path": "nodes", "message": message}])
        self.message = message


class MemoryLedger:
    """The engine memory this process's simulations hold, so that many large topologies at once
    cannot take the process down: each one fits the engine's own limit, but 400 of them would not.
    Each holder may name its client's address; one address holds at most `share` bytes, so that
    one client (a script opening many sockets) cannot take the memory every other page needs."""

    def __init__(self):
        self.held: dict[int, int] = {}
        self.addresses: dict[int, str | None] = {}
        # Simulations load in worker threads: two loads must not both see the same free memory.
        # Reentrant, because a collected simulation's finalizer releases its share in whichever
        # thread the garbage collector happens to run, possibly one holding the lock.
        self.lock = threading.RLock()

    @property
    def total(self) -> int:
        return sum(self.held.values())

    def held_by(self, address: str, besides: int) -> int:
        """What the simulations of `address` hold, but for `besides`'s (which it is about to replace)."""
        mine = (size for owner, size in self.held.items() if owner != besides and self.addresses.get(owner) == address)
        return sum(mine)

    def hold(self, owner: int, needed: int, limit: int, address: str | None = None, share: int | None = None) -> None:
        """Hold `needed` bytes for `owner` (replacing what it held), or raise MemoryFull."""
        with self.lock:
            self.check(owner, needed, limit, address, share)
            self.held[owner] = needed
            self.addresses[owner] = address

    def check(self, owner: int, needed: int, limit: int, address: str | None, share: int | None) -> None:
        others = self.total - self.held.get(owner, 0)
        if others + needed > limit:
            raise MemoryFull(
                f"This server has no memory left for a topology this large right now: it needs "
                f"{needed // MIB + 1} MB and {max(0, limit - others) // MIB} MB are free. Try again later, or "
                "lower the caches' capacity_keys, the queue limits or traffic.keys."
            )
        if address is not None and share is not None:
            mine = self.held_by(address, besides=owner)
            if mine + needed > share:
                raise MemoryFull(
                    f"Your simulations on this server already hold {mine // MIB} MB of the {share // MIB} MB "
                    f"one address may use, and this topology needs {needed // MIB + 1} MB. Close another tab's "
                    "simulation, or lower the caches' capacity_keys, the queue limits or traffic.keys."
                )

    def keep(self, owner: int, size: int) -> None:
        """Hold `size` bytes for `owner` without a check: memory it held a moment ago, given back."""
        with self.lock:
            self.held[owner] = size

    def release(self, owner: int) -> None:
        with self.lock:
            self.held.pop(owner, None)
            self.addresses.pop(owner, None)


LEDGER = MemoryLedger()


class LiveSimulation:
    def __init__(self, frames_per_second: int, step_requests: int = 100_000, memory_limit: int = 4 << 30,
                 address: str | None = None, address_share: int | None = None):  # fmt: skip
        self.frames_per_second = frames_per_second
        # The most requests one frame may simulate, whatever the topology and speed ask: 2 million
        # rps at 100x would be 20 million requests a frame. Past it the frame covers less simulated
        # time, so the simulation runs slower than asked (the frame's "pace" says how much).
        self.step_requests = step_requests
        # Shared by every simulation of this process (MemoryLedger); freed by close() or, at the
        # latest, when this object is collected.
        self.memory_limit = memory_limit
        # The client the memory counts against (its fair share), when there is one.
        self.address, self.address_share = address, address_share
        weakref.finalize(self, LEDGER.release, id(self))
        self.document: dict | None = None
        # The document as it was at time 0, and every live change since, with its simulated time:
        # the engine is deterministic, so these and the seed rebuild the simulation exactly.
        self.base_document: dict | None = None
        self.log: list[dict] = []
        self.simulation: engine.Simulation | None = None
        self.seed = 0
        self.speed = 1.0
        self.running = False

    @property
    def loaded(self) -> bool:
        return self.simulation is not None

    @property
    def t(self) -> float:
        return self.simulation.t if self.simulation else 0.0

    def load(self, document: dict) -> list[dict]:
        """Replace the simulation (paused, at t = 0); return the design findings.

        Raises engine.TopologyError, leaving the previous simulation untouched."""
        topology = engine.load(document)
        self.hold(topology)
        self.document = self.base_document = document
        self.log = []
        self.simulation = engine.Simulation(topology, seed=self.seed, stories=STORIES_PER_FRAME)
        self.running = False
        return [finding.to_dict() for finding in engine.analyze(topology)]

    def hold(self, topology: engine.Topology) -> None:
        """Count `topology`'s memory as this simulation's in the process's ledger, or raise MemoryFull."""
        LEDGER.hold(id(self), topology.memory_bytes, self.memory_limit, self.address, self.address_share)

    def close(self) -> None:
        """The page or class is gone: its memory no longer counts against the process's. (The
        engine's state itself goes with this object; a step may still be finishing in a thread.)"""
        self.running = False
        LEDGER.release(id(self))

    def reset(self, seed: int) -> None:
        self.seed = seed
        if self.document is not None:
            topology = engine.load(self.document)
            self.hold(topology)
            self.base_document, self.log = self.document, []
            self.simulation = engine.Simulation(topology, seed=seed, stories=STORIES_PER_FRAME)

    def advance(self) -> dict:
        """Step one frame's worth of simulated time: speed / frames_per_second seconds, or less
        when that many seconds would hold more than step_requests arrivals."""
        wanted = self.speed / self.frames_per_second
        ceiling = self.simulation.arrival_ceiling()
        seconds = min(wanted, self.step_requests / ceiling) if ceiling > 0 else wanted
        with ENGINE_STEP.time():
            frame = self.simulation.step(seconds)
        frame["pace"] = round(frame["dt"] / wanted, 4)
        return frame

    def act(self, action: dict) -> None:
        self.simulation.act(action)
        self.log.append({"t": self.t, "act": action})

    def set(self, target: str, props: dict) -> None:
        """Change props while running. A change may ask for more memory (a bigger cache, longer
        queues): it is held in the ledger before the engine allocates it, and given back if refused."""
        try:
            patched = engine.patch_document(self.document, target, props)
        except KeyError as missing:
            raise engine.ActionError(missing.args[0]) from None
        before = self.simulation.topology.memory_bytes
        self.hold(engine.load(patched))
        try:
            self.simulation.set(target, props)
        except Exception:
            LEDGER.keep(id(self), before)
            raise
        self.document = patched
        self.log.append({"t": self.t, "set": {"target": target, "props": props}})

    def record(self) -> dict:
        """What `replay` needs to rebuild this simulation in another process."""
        return {"base_document": self.base_document, "log": self.log, "seed": self.seed, "speed": self.speed,
                "t": self.t, "running": self.running}  # fmt: skip

    def replay(self, record: dict) -> None:
        """Rebuild the simulation of `record`: same document, seed and changes at the same times."""
        self.seed, self.speed = record["seed"], record["speed"]
        self.load(record["base_document"])
        for change in record["log"]:
            self.run_to(change["t"])
            if "act" in change:
                self.act(change["act"])
            else:
                self.set(change["set"]["target"], change["set"]["props"])
        self.run_to(record["t"])
        self.running = record["running"]

    def run_to(self, t: float) -> None:
        while t - self.t > 1e-9:
            self.simulation.step(min(REPLAY_SLICE_S, t - self.t))

    def state(self) -> dict:
        state = {"type": "state", "running": self.running, "speed": self.speed, "t": self.t, "seed": self.seed}
        if self.simulation is not None:
            # What the page would otherwise work out itself: replica sets, shard groups, and which
            # requirements of the live actions each node meets now.
            state.update(structure=self.simulation.topology.structure(), met=self.simulation.met())
        return state


def live_simulation(address: str | None = None) -> LiveSimulation:
    """A simulation set up as this server's settings say, its memory counted against `address`."""
    from django.conf import settings

    return LiveSimulation(settings.SIM_FRAMES_PER_SECOND, settings.SIM_STEP_REQUESTS, settings.SIM_MEMORY_MB << 20,
                          address, settings.SIM_MEMORY_PER_ADDRESS_MB << 20)  # fmt: skip
