"""Run a parse in a separate worker process with a time and a memory limit.

Parsing an uploaded file can take time and memory that no check on its size predicts (GEOS
repairing a polygon, a spreadsheet's rows). Inside the server such work would also hold the GIL
and stall every other user's session. :func:`run_bounded` runs it in a child of a *forkserver*
(Python's safe way to start processes from a multi-threaded server; the parsing modules are
preloaded, so a call costs milliseconds, not an interpreter start), watches the child's
resident memory, and kills it when it exceeds ``memory_bytes`` or runs longer than
``seconds``. The caller gets the function's result or its exception (the readers' own
bilingual errors), or :class:`ResourceLimitError`.

Examples
--------
>>> run_bounded(divmod, 7, 2, seconds=30)
(3, 1)
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from multiprocessing import spawn
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from geo.limits import LIMITS

__all__ = ["ResourceLimitError", "peak_rss_bytes", "run_bounded"]

T = TypeVar("T")
_PAGE = os.sysconf("SC_PAGE_SIZE")
_POLL = 0.02  # s between memory checks
_PRELOAD = ["geo.io", "geo.tables", "geo.checks"]
_CONTEXT_LOCK = threading.Lock()
_START_LOCK = threading.Lock()
_context: Any = None
INLINE = os.environ.get("QDP_READ_INLINE") == "1"  # for profiling only: parse in this process


class ResourceLimitError(Exception):
    """A parse was stopped at its time or memory limit (bilingual message)."""


def _get_context() -> Any:
    global _context
    with _CONTEXT_LOCK:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
            _context = ctx
    return _context


def _start(proc: Any) -> None:
    """Start ``proc`` without re-running the host's ``__main__`` in it.

    multiprocessing normally re-imports the parent's main module in a new process. Here that is
    Streamlit's page script or a CLI: running it again in a parse worker would be wrong (and
    slow). The parse functions live in importable modules, so the main-module entries are left
    out of the preparation data of our own workers (under a lock, for the start only).
    """
    original = spawn.get_preparation_data

    def without_main(name: str) -> dict[str, Any]:
        data = original(name)
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
        return data

    with _START_LOCK:
        spawn.get_preparation_data = without_main
        try:
            proc.start()
        finally:
            spawn.get_preparation_data = original


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def peak_rss_bytes(pid: int | None = None) -> int:
    """Peak resident memory (``VmHWM``) of a process, in bytes (this one by default)."""
    with open(f"/proc/{pid or os.getpid()}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn: Connection, func: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    try:
        result: tuple[str, Any] = ("ok", func(*args, **kwargs))
    except BaseException as exc:  # sent back and raised in the parent
        result = ("error", exc)
    try:
        conn.send(result)
    except Exception as exc:  # an unpicklable exception: send its text
        conn.send(("error", RuntimeError(str(exc))))
    finally:
        conn.close()


def run_bounded(
    func: Callable[..., T],
    *args: Any,
    seconds: float | None = None,
    memory_bytes: int | None = None,
    **kwargs: Any,
) -> T:
    """Call ``func(*args, **kwargs)`` in a worker process bounded in time and memory.

    Parameters
    ----------
    func : callable
        A module-level function (it is pickled by reference); its arguments and result must
        pickle.
    seconds : float, optional
        Wall-time limit (s); default :attr:`geo.limits.Limits.seconds`.
    memory_bytes : int, optional
        Resident-memory limit of the worker (bytes); default
        :attr:`geo.limits.Limits.memory_bytes`.

    Raises
    ------
    ResourceLimitError
        The worker ran out of time or memory, or died.
    Exception
        Whatever ``func`` raised, re-raised here.
    """
    seconds = LIMITS.seconds if seconds is None else seconds
    memory_bytes = LIMITS.memory_bytes if memory_bytes is None else memory_bytes
    if INLINE:
        return func(*args, **kwargs)
    ctx = _get_context()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, func, args, kwargs), daemon=True)
    _start(proc)
    send.close()
    deadline = time.monotonic() + seconds
    base = 0
    outcome: tuple[str, Any] | None = None
    try:
        while outcome is None:
            if receive.poll(_POLL):
                try:
                    outcome = receive.recv()
                except EOFError:
                    proc.join(1)
                    outcome = ("died", proc.exitcode)
                break
            rss = _rss(proc.pid) if proc.pid else 0
            base = base or rss  # the preloaded modules are shared with the forkserver: count growth
            if rss - base > memory_bytes:
                outcome = ("memory", rss)
            elif time.monotonic() > deadline:
                outcome = ("time", seconds)
            elif not proc.is_alive() and not receive.poll(0):
                proc.join(1)
                outcome = ("died", proc.exitcode)
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        receive.close()
    status, value = outcome
    if status == "ok":
        return value
    if status == "error":
        raise value
    if status == "time":
        raise ResourceLimitError(
            f"读取和检查用时超过 {seconds:g} 秒，已停止；请拆分文件或简化几何 / reading and checking took longer "
            f"than {seconds:g} s and was stopped; split the file or simplify its geometry"
        )
    if status == "memory":
        raise ResourceLimitError(
            f"读取所需内存超过 {memory_bytes / 2**20:,.0f} MB，已停止；文件内容过大 / reading needed more than "
            f"{memory_bytes / 2**20:,.0f} MB of memory and was stopped; the content is too large"
        )
    raise ResourceLimitError(f"读取进程意外退出（代码 {value}）/ the reading process died (exit code {value})")
