"""Free the memory of closed browser sessions once Streamlit stops keeping them for a reconnect.

Streamlit (1.67) keeps a session whose WebSocket closed for ``server.disconnectedSessionTTL``
seconds, so that a user whose network drops can come back to it. When that time is up the
session is only *forgotten*, lazily, at the next connection — it is never shut down. Shutting down
is what releases a session's uploaded files, its download buttons' data and the deferred
callables that hold its tables (``AppSession.shutdown``). Without it, the server measured by
``benchmarks/load.py`` kept ≈ 450 MB after 20 sessions had closed, for good.

:func:`start` runs one daemon thread per server process that, every ``interval`` seconds, takes
the expired sessions out of Streamlit's session storage and shuts them down, then returns freed
heap pages to the operating system (``malloc_trim`` on glibc).

This reaches into two private attributes of Streamlit's runtime (the session manager's storage
and its lock). If a Streamlit upgrade renames them, :func:`reap` logs one warning and does
nothing — the app keeps working with Streamlit's own behaviour — and
``tests/test_session_reaper.py`` fails, so the upgrade is noticed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import threading
from typing import Any

from streamlit import config as st_config
from streamlit.logger import get_logger

_LOG = get_logger(__name__)
_started = threading.Lock()
_thread: threading.Thread | None = None
_warned = False


def _storage() -> tuple[Any, Any] | None:
    """Streamlit's session-storage cache and the lock that guards it, or None when unavailable."""
    from streamlit import runtime

    if not runtime.exists():
        return None
    manager = getattr(runtime.get_instance(), "_session_mgr", None)
    cache = getattr(getattr(manager, "_session_storage", None), "_cache", None)
    lock = getattr(manager, "_storage_lock", None)
    if cache is None or lock is None or not callable(getattr(cache, "expire", None)):
        return None
    return cache, lock


def _trim_heap() -> None:
    """Give freed heap pages back to the operating system (glibc only; elsewhere nothing)."""
    name = ctypes.util.find_library("c")
    if not name:
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(name).malloc_trim(0)


def reap() -> int:
    """Shut down the sessions whose reconnect time has run out; return how many.

    Returns
    -------
    int
        Sessions shut down (0 also when Streamlit's runtime is not running).
    """
    global _warned
    found = _storage()
    if found is None:
        from streamlit import runtime

        if runtime.exists() and not _warned:
            _warned = True
            _LOG.warning("session reaper: Streamlit's session storage is not where it was; closed sessions "
                         "are freed only by Streamlit itself")  # fmt: skip
        return 0
    cache, lock = found
    with lock:
        expired = cache.expire()
    for _, info in expired:
        with contextlib.suppress(Exception):  # one broken session must not stop the others
            info.session.shutdown()
    if expired:
        gc.collect()
        _trim_heap()
        _LOG.info("session reaper: shut down %d closed session(s)", len(expired))
    return len(expired)


def _loop(interval: float) -> None:
    stop = threading.Event()
    while not stop.wait(interval):
        try:
            reap()
        except Exception:  # housekeeping must never take the server down
            _LOG.exception("session reaper failed")


def start(interval: float | None = None) -> None:
    """Start the reaper thread once per process (later calls do nothing).

    Parameters
    ----------
    interval : float, optional
        Seconds between two passes; by default 15 s, or ``server.disconnectedSessionTTL`` when that
        is shorter. A closed session is freed at most ``interval`` seconds after its TTL ran out.
    """
    global _thread
    if interval is None:
        interval = max(1.0, min(15.0, float(st_config.get_option("server.disconnectedSessionTTL"))))
    with _started:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_loop, args=(interval,), name="qdp-session-reaper", daemon=True)
            _thread.start()
