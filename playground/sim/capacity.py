"""The simulations this process holds, one per open editor page and live class, so that past
MAX_SIMULATIONS_PER_PROCESS new editor pages are turned away instead of slowing every page down."""

from django.conf import settings

from playground.ops.metrics import SIMULATIONS

HELD: set = set()
SIMULATIONS.set_function(lambda: len(HELD))


def full() -> bool:
    return len(HELD) >= settings.MAX_SIMULATIONS_PER_PROCESS
