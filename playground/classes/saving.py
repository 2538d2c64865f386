"""What a live class's owner saves for its successor and for newcomers on other processes, and how.

The saved state is a few named parts (coordination.save_state), so that a frame rewrites only
what a frame changes:

- "meta": sequence number, narration, play state, and the frames and changes since the newest
  checkpoint (at most checkpoints.MAX_SINCE of them), as JSON; every save.
- "frame": the last frame, as the very text that was broadcast; every save.
- "document": the document as it is now; only when a live change altered it.
- "checkpoint": the newest checkpoint (playground.classes.checkpoints); only when there is a new one.

So what one save writes does not grow with the length of the class or with the number of actions.
The parts are encoded in a worker thread, between two steps of the simulation (in the run loop's
lock), by one task per class that saves the newest state whenever asked: frames never wait for
Redis, and a failed save is logged, retried, and the teacher is told that the class's state
cannot be saved.
"""

import asyncio
import json
import logging
import time
from dataclasses import dataclass

from playground.classes.coordination import coordinator

log = logging.getLogger(__name__)

# A checkpoint at least this often (wall-clock seconds) while the class changes: a successor
# then steps at most this long's frames again.
CHECKPOINT_S = 2.0
# ...but checkpoints take at most this share of the owner's time, however large the simulation.
CHECKPOINT_SHARE = 0.02
RETRY_S = 1.0
SAVE_FAILED = ("This class's state cannot be saved right now, so if this server stopped, the class could not "
               "go on elsewhere. The class goes on here, and saving is retried every second.")  # fmt: skip
# The parts a newcomer on another process needs; the checkpoint is only for a successor.
SNAPSHOT_PARTS = ("meta", "frame", "document")


@dataclass
class SavedClass:
    """A class as its owner last saved it."""

    seq: int
    ended: bool
    narration: str
    state: dict
    since: list[dict]
    generation: int
    document: dict
    frame: dict | None
    checkpoint: str | None

    @classmethod
    def decode(cls, parts: dict[str, str]) -> "SavedClass":
        meta = json.loads(parts["meta"])
        frame = json.loads(parts["frame"]) if parts.get("frame") else None
        if frame is not None:
            frame.pop("type", None)
        generation, _, checkpoint = parts.get("checkpoint", "").partition("|")
        return cls(seq=meta["seq"], ended=meta["ended"], narration=meta["narration"], state=meta["state"],
                   since=meta["since"], generation=meta["generation"], document=json.loads(parts["document"]),
                   frame=frame, checkpoint=checkpoint if generation == str(meta["generation"]) else None)  # fmt: skip

    def snapshot(self, code: str) -> dict:
        return {"code": code, "document": self.document, "narration": self.narration, "state": self.state,
                "frame": self.frame}  # fmt: skip


class Saver:
    """Saves a LiveRunner's state whenever asked, one save at a time, the newest state each time."""

    def __init__(self, runner):
        self.runner = runner
        self.wanted = asyncio.Event()
        self.lock = asyncio.Lock()
        self.saved_generation = 0
        self.saved_document = -1
        self.checkpointed_at = time.monotonic()
        self.checkpoint_every = CHECKPOINT_S
        self.failing = False
        # What the last save wrote, in characters per part: bounded whatever the class does.
        self.written: dict[str, int] = {}

    def request(self) -> None:
        self.wanted.set()

    async def run(self) -> None:
        while True:
            await self.wanted.wait()
            self.wanted.clear()
            if not await self.save():
                await asyncio.sleep(RETRY_S)
                self.wanted.set()

    async def save(self) -> bool:
        """Save the state now; whether it worked (a failure is logged and the teacher told)."""
        async with self.lock:
            try:
                parts, generation, document = await self.runner.loop.call(self.encode)
                await coordinator().save_state(self.runner.code, parts)
            except Exception:
                log.exception("live class %s: saving its state failed; retrying", self.runner.code)
                if not self.failing:
                    self.failing = True
                    await self.tell_teachers(SAVE_FAILED)
                return False
        if self.failing:
            log.warning("live class %s: saving its state works again", self.runner.code)
        self.failing = False
        self.saved_generation, self.saved_document = generation, document
        self.written = {name: len(text) for name, text in parts.items()}
        return True

    def encode(self) -> tuple[dict[str, str], int, int]:
        """The parts to write (in a worker thread, between steps): what changed since the last save."""
        runner, live = self.runner, self.runner.live
        if live.since and time.monotonic() - self.checkpointed_at >= self.checkpoint_every:
            started = time.perf_counter()
            live.checkpoint()
            self.checkpoint_every = max(CHECKPOINT_S, (time.perf_counter() - started) / CHECKPOINT_SHARE)
            self.checkpointed_at = time.monotonic()
        meta = {"seq": runner.seq, "ended": runner.ended, "narration": runner.narration, "state": live.state(),
                "since": live.since, "generation": live.generation}  # fmt: skip
        parts = {"meta": json.dumps(meta)}
        parts["frame"] = runner.frame_text or ""
        if runner.document_version != self.saved_document:
            parts["document"] = json.dumps(live.document)
        if live.generation != self.saved_generation:
            parts["checkpoint"] = f"{live.generation}|{live.latest}"
        return parts, live.generation, runner.document_version

    async def tell_teachers(self, message: str) -> None:
        try:
            await self.runner.broadcast("teachers", message={"type": "error", "message": message, "problems": []})
        except Exception:
            log.exception("live class %s: telling the teachers failed", self.runner.code)
