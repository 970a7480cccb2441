"""When and how long to wait before trying a request again."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# 408 and 429 say "later"; 500 is not stored for idempotency replays, so a retry with the same key
# runs the request again, once; 502-504 are a proxy or a server not ready.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Retry:
    """The retry policy: `max_retries` more attempts after the first, with exponential backoff.

    The n-th wait is a random time between 0 and `min(backoff_max, backoff_base * 2**n)` ("full
    jitter"), so that many clients failing together do not come back together. A `Retry-After`
    from the server is honoured instead, unless it is longer than `max_retry_after`: then the
    error is raised at once (a sign-in locked for 15 minutes is no case for waiting).
    """

    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_retry_after: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    uniform: Callable[[float, float], float] = field(default=random.uniform, repr=False)

    def backoff(self, attempt: int) -> float:
        """The wait before retry number `attempt` (0 for the first retry), without a Retry-After."""
        return self.uniform(0.0, min(self.backoff_max, self.backoff_base * 2**attempt))

    def wait(self, attempt: int, retry_after: float | None) -> float | None:
        """How long to wait before the next attempt, or None if no retry should be made."""
        if attempt >= self.max_retries:
            return None
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after else None
        return self.backoff(attempt)


def parse_retry_after(value: str | None) -> float | None:
    """`Retry-After` in seconds (the API sends seconds; an HTTP date is read as 'unknown')."""
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
