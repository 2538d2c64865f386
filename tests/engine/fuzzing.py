"""What the engine's fuzz tests share: Hypothesis settings for CI, and a guard against hangs."""

import contextlib
import faulthandler

from hypothesis import HealthCheck, Phase, settings

# Deterministic (derandomize): CI tries the same inputs every run, so a red run is one anyone can
# reproduce. No "explain" phase: it traces every line of a failing example again and again,
# which takes many minutes with the engine; the shrunk example is what tells the story.
PHASES = [Phase.explicit, Phase.generate, Phase.shrink]


def fuzz_settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None, phases=PHASES,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip


# One input gets this long before the process is ended with every thread's traceback. A hung
# kernel never returns to Python, so no exception could stop it; faulthandler's watchdog is a C
# thread and ends the process from outside. No input comes near: the slowest take a second.
HANG_S = 60


@contextlib.contextmanager
def hang_guard():
    faulthandler.dump_traceback_later(HANG_S, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
