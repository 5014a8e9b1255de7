"""Create many objects at once without the cyclic garbage collector interrupting.

Python's collector runs after every 700 container objects created. Building 100,000 shapely
points (one Python object each) so triggered ≈ 135 young and a dozen older collections, each
walking the objects already alive: 0.07–0.15 s of the 100,000-firm validation
(``benchmarks/land_yield.py``). Nothing created in such a block forms reference cycles.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["no_collection"]


@contextmanager
def no_collection() -> Iterator[None]:
    """Pause the cyclic collector inside the block; it runs again after it if it ran before.

    Reference counting still frees objects as usual. Threads may nest such blocks: the block
    that paused the collector starts it again, so it never stays paused.

    Examples
    --------
    >>> import gc
    >>> with no_collection():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
