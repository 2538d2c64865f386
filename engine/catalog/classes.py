"""The request classes the page draws, with their colours: one list for the engine, the frames and
the page.

The engine's classes (`in_frames`) are what a request is (its kind of work); a frame's edges count
each one's flow under its name, in this order, which is also the kernels' class codes. The others are
how the page splits those flows when it draws them (a read that hit a cache, a write on its way to
a replica).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestClass:
    name: str
    label: str
    colour: str
    in_frames: bool


REQUEST_CLASSES: tuple[RequestClass, ...] = (
    RequestClass("read", "Read", "#3b82f6", True),
    RequestClass("write", "Write", "#f97316", True),
    RequestClass("job", "Background job", "#eab308", True),
    RequestClass("static", "Static file", "#8b5cf6", True),
    RequestClass("login", "Login", "#92400e", True),
    RequestClass("hit", "Cache hit", "#22c55e", False),
    RequestClass("miss", "Cache miss", "#ec4899", False),
    RequestClass("replication", "Replication", "#14b8a6", False),
    RequestClass("error", "Error", "#ef4444", False),
    RequestClass("other", "Other", "#94a3b8", False),
)
# The classes a request can be, in the kernels' order (kernels.layout C_*).
FLOW_CLASSES = tuple(c.name for c in REQUEST_CLASSES if c.in_frames)
