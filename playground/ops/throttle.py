"""How many messages one WebSocket may send: a token bucket per connection.

A page sends a few messages a second (a prop dragged on a slider sends more, in a burst); a
script flooding the socket would make the server parse, check and run engine calls without end.
Past the budget a message is ignored and the sender told once per streak, so a flood costs the
server little and the honest page on the other end still works.
"""

import time
from collections.abc import Callable


class MessageBudget:
    def __init__(self, per_second: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.per_second = per_second
        self.burst = burst
        self.clock = clock
        self.tokens = float(burst)
        self.last = clock()
        # Refusals since the last accepted message: only the first of a streak is answered.
        self.refused_in_a_row = 0

    def allow(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.per_second)
        self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            self.refused_in_a_row = 0
            return True
        self.refused_in_a_row += 1
        return False

    @property
    def should_say_so(self) -> bool:
        """Whether the message just refused is the first of its streak (the one to answer)."""
        return self.refused_in_a_row == 1

    def refusal(self) -> str:
        return (
            f"Too many messages: at most {self.per_second:g} a second (bursts of {self.burst}). "
            "Messages past that are ignored until the rate drops; the connection stays open."
        )
