"""Pausing Python's garbage collector around a large build of short-lived, acyclic objects.

Building a big text (a calendar feed of thousands of events) allocates many objects that
reference counting alone frees; each allocation burst still triggers the cyclic collector,
which then walks every live object of the process, and in a process that holds a lot that walk
costs as much as a fifth of the build. Pausing it for the build and resuming after keeps the
output the same and frees any cycle at the next collection.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block, back on afterwards (even on an error) if it was on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
