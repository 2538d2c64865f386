"""A live class's simulation as its owner checkpoints it, so that a successor resumes it quickly.

Replaying a class from time 0 takes as long as the class has run at full speed: an hour of a busy
class at speed 100 is minutes of catch-up, longer than the lease a successor holds. So every few
seconds the owner pickles the engine's simulation (a checkpoint) and keeps, since then, the end
time of every frame it stepped and every live change. A successor unpickles the checkpoint and
steps exactly those slices again: the engine is deterministic, so it reaches the very state the
owner had, frame for frame, after at most a few seconds of catch-up.

A checkpoint is a pickle, and unpickling runs code: it is signed with SECRET_KEY, which every
process of the site shares, so that only those processes can write one that is loaded.
"""

import base64
import pickle
import zlib

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from playground.sim.simulation import LiveSimulation

# A checkpoint after this many frames and live changes at the latest, so that what is saved with
# every frame stays small however busy the teacher is.
MAX_SINCE = 200
SALT = "playground.classes.checkpoint"


class CheckpointInvalid(ValueError):
    """A checkpoint not signed by this site, or damaged."""


def sign(blob: bytes) -> str:
    mac = salted_hmac(SALT, blob, algorithm="sha256").hexdigest()
    return f"{mac}:{base64.b64encode(blob).decode()}"


def unsign(text: str) -> bytes:
    mac, _, encoded = text.partition(":")
    try:
        blob = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise CheckpointInvalid("The checkpoint is damaged.") from exc
    if not constant_time_compare(mac, salted_hmac(SALT, blob, algorithm="sha256").hexdigest()):
        raise CheckpointInvalid("The checkpoint is not signed by this site.")
    return blob


class ClassSimulation(LiveSimulation):
    """A LiveSimulation that keeps what a successor needs since its last checkpoint: `since`, in
    order, the end time of each frame ({"to": t}) and each live change ({"t", "act"} or {"t", "set"})."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.since: list[dict] = []
        # The newest checkpoint (signed) and how many were taken: the owner saves it once per generation.
        self.latest: str | None = None
        self.generation = 0

    def advance(self) -> dict:
        frame = super().advance()
        self.keep({"to": self.t})
        return frame

    def act(self, action: dict) -> None:
        super().act(action)
        self.keep(self.log.pop())

    def set(self, target: str, props: dict) -> None:
        super().set(target, props)
        self.keep(self.log.pop())

    def keep(self, entry: dict) -> None:
        # The checkpoints hold the simulation itself: the log from time 0 is not kept.
        self.since.append(entry)
        if len(self.since) >= MAX_SINCE:
            self.checkpoint()

    def reset(self, seed: int) -> None:
        super().reset(seed)
        self.checkpoint()

    def checkpoint(self) -> None:
        """Take a checkpoint of the simulation now: `since` starts again from here. Called between
        steps (in the run loop's lock), so that it pictures one moment."""
        blob = pickle.dumps({"simulation": self.simulation, "document": self.document, "seed": self.seed},
                            protocol=pickle.HIGHEST_PROTOCOL)  # fmt: skip
        # The engine's arrays are mostly zeros: the fastest compression makes them 20 to 40 times smaller.
        self.latest, self.since = sign(zlib.compress(blob, 1)), []
        self.generation += 1

    def restore(self, checkpoint: str | None, since: list[dict], speed: float, running: bool) -> None:
        """Back to the owner's state: its checkpoint, then the same slices and changes it made since.

        Raises CheckpointInvalid, or engine.TopologyError when this process has no memory left for it."""
        if checkpoint is None:
            raise CheckpointInvalid("The saved state has no checkpoint.")
        saved = pickle.loads(zlib.decompress(unsign(checkpoint)))  # noqa: S301 - signed by this site (see unsign)
        self.seed, self.speed = saved["seed"], speed
        # Loading the document validates it and holds its memory in this process's ledger.
        self.load(saved["document"])
        self.simulation = saved["simulation"]
        self.since = []
        for entry in since:
            if "to" in entry:
                self.run_to(entry["to"])
                self.since.append(entry)
            elif "act" in entry:
                self.run_to(entry["t"])
                self.act(entry["act"])
            else:
                self.run_to(entry["t"])
                self.set(entry["set"]["target"], entry["set"]["props"])
        self.running = running
        # This owner's own starting point: a successor of it catches up from here.
        self.checkpoint()


def class_simulation(address: str | None = None) -> ClassSimulation:
    """A class's simulation set up as this server's settings say (as live_simulation()), its
    memory counted against `address`."""
    return ClassSimulation(settings.SIM_FRAMES_PER_SECOND, settings.SIM_STEP_REQUESTS, settings.SIM_MEMORY_MB << 20,
                           address, settings.SIM_MEMORY_PER_ADDRESS_MB << 20)  # fmt: skip
