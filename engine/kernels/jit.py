"""How every kernel is compiled: `@jit`, or `@jit(inline="always")`, is numba's njit with the engine's
settings, written once.

Kernels take arrays as separate arguments: numba passes arguments as borrowed references, while
taking an array out of a tuple costs an atomic reference count, which dominated the event loop.
They are compiled without numba's reference counting (`_nrt=False`): no kernel allocates, and the
counts it kept anyway on every array an inlined function was handed (an atomic add and subtract
each) took 40% of the time (perf, on the M/M/c bench and the whole path). A kernel that must
allocate keeps it (engine.kernels.shards.forget_moved) and is called only on rare actions.
Functions on every request's path are inlined (inline="always"); those used only by some
topologies (other balancing algorithms, message queues) are plain calls, and `advance` calls the
inlined routing from one place only: inlining more made the cold compile about four times longer
(146 s against 35 s here) for no measurable speed.
A call may pass at most 30 arguments: CPython packs longer calls into a tuple (CALL_FUNCTION_EX),
which numba refuses to inline. Add columns to existing arrays before adding arrays.
"""

from numba import njit

# Cached on disk (engine.kernels.freshness keeps the cache true to the sources), without the GIL,
# without numba's reference counting.
SETTINGS = {"cache": True, "nogil": True, "_nrt": False}


def jit(function=None, /, **options):
    """njit with SETTINGS, which `options` may override (`_nrt=True` for a kernel that allocates)."""
    compile_with = njit(**{**SETTINGS, **options})
    return compile_with if function is None else compile_with(function)
