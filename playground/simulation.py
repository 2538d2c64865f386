"""One running simulation as a browser drives it: document, seed, speed and the engine's state.

Not thread-safe on purpose: the consumer serialises every call with a lock and runs each one
in a worker thread, because the engine's kernels release the GIL and must stay off the event loop.
"""

import engine


class LiveSimulation:
    def __init__(self, frames_per_second: int):
        self.frames_per_second = frames_per_second
        self.document: dict | None = None
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
        self.document = document
        self.simulation = engine.Simulation(topology, seed=self.seed)
        self.running = False
        return [finding.to_dict() for finding in engine.analyze(topology)]

    def reset(self, seed: int) -> None:
        self.seed = seed
        if self.document is not None:
            self.simulation = engine.Simulation(engine.load(self.document), seed=seed)

    def advance(self) -> dict:
        """Step one frame's worth of simulated time: speed / frames_per_second seconds."""
        return self.simulation.step(self.speed / self.frames_per_second)

    def act(self, action: dict) -> None:
        self.simulation.act(action)

    def set(self, target: str, props: dict) -> None:
        self.simulation.set(target, props)
        self.document = with_props(self.document, target, props)

    def state(self) -> dict:
        return {"type": "state", "running": self.running, "speed": self.speed, "t": self.t, "seed": self.seed}


def with_props(document: dict, target: str, props: dict) -> dict:
    """A copy of the document with the changed props, so that a reset keeps them."""
    if target == "traffic":
        return {**document, "traffic": {**document.get("traffic", {}), **props}}
    nodes = [
        {**node, "props": {**node.get("props", {}), **props}} if node.get("id") == target else node
        for node in document["nodes"]
    ]
    return {**document, "nodes": nodes}
