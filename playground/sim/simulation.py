"""One running simulation as a browser drives it: document, seed, speed and the engine's state.

Not thread-safe on purpose: the consumer serialises every call with a lock and runs each one
in a worker thread, because the engine's kernels release the GIL and must stay off the event loop.
"""

import weakref

import engine
from playground.ops.metrics import ENGINE_STEP

# The engine refuses longer single steps; a replay walks in slices of this length.
REPLAY_SLICE_S = 600.0
# Stories of sampled requests each frame carries (engine.Simulation's `stories`), for the canvas's
# particles and the story panel
STORIES_PER_FRAME = 20


class MemoryLedger:
    """The engine memory this process's simulations hold, so that many large topologies at once
    cannot take the process down: each one fits the engine's own limit, but 400 of them would not."""

    def __init__(self):
        self.held: dict[int, int] = {}

    @property
    def total(self) -> int:
        return sum(self.held.values())

    def hold(self, owner: int, needed: int, limit: int) -> None:
        """Hold `needed` bytes for `owner` (replacing what it held), or raise TopologyError."""
        others = self.total - self.held.get(owner, 0)
        if others + needed > limit:
            mib = 1024 * 1024
            raise engine.TopologyError([{"path": "nodes", "message": (
                f"This server has no memory left for a topology this large right now: it needs "
                f"{needed // mib + 1} MB and {max(0, limit - others) // mib} MB are free. Try again later, or "
                "lower the caches' capacity_keys, the queue limits or traffic.keys."
            )}])  # fmt: skip
        self.held[owner] = needed

    def release(self, owner: int) -> None:
        self.held.pop(owner, None)


LEDGER = MemoryLedger()


class LiveSimulation:
    def __init__(self, frames_per_second: int, step_requests: int = 100_000, memory_limit: int = 4 << 30):
        self.frames_per_second = frames_per_second
        # The most requests one frame may simulate, whatever the topology and speed ask: 2 million
        # rps at 100x would be 20 million requests a frame. Past it the frame covers less simulated
        # time, so the simulation runs slower than asked (the frame's "pace" says how much).
        self.step_requests = step_requests
        # Shared by every simulation of this process (MemoryLedger); freed by close() or, at the
        # latest, when this object is collected.
        self.memory_limit = memory_limit
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
        LEDGER.hold(id(self), topology.memory_bytes, self.memory_limit)
        self.document = self.base_document = document
        self.log = []
        self.simulation = engine.Simulation(topology, seed=self.seed, stories=STORIES_PER_FRAME)
        self.running = False
        return [finding.to_dict() for finding in engine.analyze(topology)]

    def close(self) -> None:
        """The page or class is gone: its memory no longer counts against the process's. (The
        engine's state itself goes with this object; a step may still be finishing in a thread.)"""
        self.running = False
        LEDGER.release(id(self))

    def reset(self, seed: int) -> None:
        self.seed = seed
        if self.document is not None:
            self.base_document, self.log = self.document, []
            self.simulation = engine.Simulation(engine.load(self.document), seed=seed, stories=STORIES_PER_FRAME)

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
        self.simulation.set(target, props)
        self.document = engine.patch_document(self.document, target, props)
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


def live_simulation() -> LiveSimulation:
    """A simulation set up as this server's settings say."""
    from django.conf import settings

    return LiveSimulation(settings.SIM_FRAMES_PER_SECOND, settings.SIM_STEP_REQUESTS, settings.SIM_MEMORY_MB << 20)
