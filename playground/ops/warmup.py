"""The engine's kernels compiled in the background while the server already serves.

On a machine that has never compiled them (a fresh clone, an empty numba cache) compiling takes
about a minute or more. Blocking the server's start on it would leave a new user with a page that
does not load; instead the server answers at once, the kernels compile in a thread, every page
is told how it stands ("engine" in the simulation socket's hello, then one "engine" message when
it is ready), and Play starts by itself as soon as they are: a simulation that steps meanwhile
waits in its own thread for numba's compile lock, never on the event loop.
"""

import asyncio
import logging
import threading
import time

import engine

log = logging.getLogger(__name__)


class Warmup:
    def __init__(self, warm=engine.warm, clock=time.monotonic):
        self.warm = warm
        self.clock = clock
        self.started: float | None = None
        self.seconds: float | None = None
        self.failed: str | None = None
        self.done = threading.Event()
        self.waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        """Compile in a daemon thread (a server that stops mid-compile simply stops)."""
        with self.lock:
            if self.started is not None:
                return
            self.started = self.clock()
        threading.Thread(target=self.run, name="engine-warmup", daemon=True).start()

    def run(self) -> None:
        try:
            self.seconds = self.warm()
            log.info("engine kernels warm in %.2f s", self.seconds)
        except Exception as exc:  # the engine stays usable: each kernel compiles when first called
            self.failed = f"{type(exc).__name__}: {exc}"
            log.exception("warming the engine's kernels failed; they compile on first use instead")
        finally:
            self.done.set()
            with self.lock:
                waiters, self.waiters = self.waiters, []
            for loop, future in waiters:
                loop.call_soon_threadsafe(lambda f=future: f.done() or f.set_result(None))

    @property
    def ready(self) -> bool:
        """Whether a simulation starts without waiting for a compile (also when none was started)."""
        return self.started is None or self.done.is_set()

    def status(self) -> dict:
        if self.ready:
            return {"ready": True}
        return {"ready": False, "elapsed_s": round(self.clock() - self.started, 1)}

    async def wait(self) -> None:
        """Return once the kernels are warm (at once if they are)."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        with self.lock:
            if self.ready:
                return
            self.waiters.append((loop, future))
        await future


WARMUP = Warmup()
