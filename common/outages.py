"""Services this process found unreachable, left alone for a few seconds.

A Redis that is down answers at once; a hung one costs a timeout on every call. After one
failure, callers skip the service until ``retry_after`` seconds have passed, so a page pays
for at most one timeout, and the service is tried again on the first call after that.
"""

import threading
import time


class Outages:
    """When each named service may be tried again; shared by every thread of the process."""

    def __init__(self, *, retry_after: float) -> None:
        self.retry_after = retry_after
        self._retry_at: dict[str, float] = {}
        self._lock = threading.Lock()

    def is_down(self, name: str) -> bool:
        with self._lock:
            return time.monotonic() < self._retry_at.get(name, 0.0)

    def record(self, name: str) -> None:
        with self._lock:
            self._retry_at[name] = time.monotonic() + self.retry_after

    def clear(self) -> None:
        with self._lock:
            self._retry_at.clear()
