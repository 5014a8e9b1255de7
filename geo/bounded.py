"""Run a parse in a separate worker process with a time and a memory limit.

Parsing an uploaded file can take time and memory that no check on its size predicts (GEOS
repairing a polygon, a spreadsheet's rows). Inside the server such work would also hold the GIL
and stall every other user's session. :func:`run_bounded` runs it in a child of a *forkserver*
(Python's safe way to start processes from a multi-threaded server; the parsing modules are
preloaded, so a call costs milliseconds, not an interpreter start), watches the child's
resident memory, and kills it when it exceeds ``memory_bytes`` or runs longer than
``seconds``. The caller gets the function's result or its exception (the readers' own
bilingual errors), or :class:`ResourceLimitError`.

Large arguments (an upload's bytes) and the result travel through files in a private temporary
folder, not the pipe, so that each exists once on each side instead of twice (bytes and their
pickle): a 150,000-row CSV (31 MB) costs ≈ 100 MB less in all.

Examples
--------
>>> run_bounded(divmod, 7, 2, seconds=30)
(3, 1)
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import spawn
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from geo.limits import LIMITS

__all__ = ["ResourceLimitError", "peak_rss_bytes", "run_bounded"]

T = TypeVar("T")
_PAGE = os.sysconf("SC_PAGE_SIZE")
_POLL = 0.02  # s between memory checks
_SPILL_BYTES = 1 << 20  # arguments from this size on go to the worker as a file
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


@dataclass(frozen=True)
class _Spilled:
    """A large ``bytes`` argument handed over as a private file, not through the pipe.

    Pickled through the pipe, a 30 MB upload exists four times at once: the bytes and their
    pickle in the server, the pickle and the bytes in the worker. Through a file it exists once
    on each side, and the worker's copy counts against its memory limit.
    """

    path: str

    def load(self) -> bytes:
        return Path(self.path).read_bytes()


def _spill(value: Any, folder: str | None, key: str) -> Any:
    """``value`` with every large ``bytes`` (itself, or a dict's values) written to ``folder``."""
    if folder is not None and isinstance(value, bytes) and len(value) >= _SPILL_BYTES:
        path = os.path.join(folder, f"arg-{key}")
        try:
            with open(path, "wb") as fh:
                fh.write(value)
        except OSError:  # a full disk: through the pipe after all
            return value
        return _Spilled(path)
    if isinstance(value, dict):
        return {k: _spill(v, folder, f"{key}-{i}") for i, (k, v) in enumerate(value.items())}
    return value


def _unspill(value: Any) -> Any:
    if isinstance(value, _Spilled):
        return value.load()
    if isinstance(value, dict):
        return {k: _unspill(v) for k, v in value.items()}
    return value


def _child(conn: Connection, func: Callable[..., Any], args: tuple, kwargs: dict, result_path: str | None) -> None:
    """Run ``func``; its result is pickled into ``result_path`` as it is written (no second copy
    of it in memory), an exception is sent through ``conn``."""
    try:
        value = func(*(_unspill(a) for a in args), **{k: _unspill(v) for k, v in kwargs.items()})
        try:
            if result_path is None:
                raise OSError("no folder")
            with open(result_path, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            result: tuple[str, Any] = ("ok", None)
        except OSError:  # a full disk: through the pipe after all
            result = ("ok-pipe", value)
    except BaseException as exc:  # sent back and raised in the parent
        result = ("error", exc)
    try:
        conn.send(result)
    except Exception as exc:  # an unpicklable exception: send its text
        conn.send(("error", RuntimeError(str(exc))))
    finally:
        conn.close()


def _watch(
    func: Callable[..., Any], args: tuple, kwargs: dict, folder: str | None, seconds: float, memory_bytes: int
) -> tuple[str, Any]:
    """Start the worker and wait for it within the limits: ("ok", None) (the result is in the
    folder), ("ok-pipe", result) (it could not be written there) or why not."""
    ctx = _get_context()
    receive, send = ctx.Pipe(duplex=False)
    args = tuple(_spill(a, folder, str(i)) for i, a in enumerate(args))
    kwargs = {k: _spill(v, folder, k) for k, v in kwargs.items()}
    result_path = os.path.join(folder, "result") if folder is not None else None
    proc = ctx.Process(target=_child, args=(send, func, args, kwargs, result_path), daemon=True)
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
        if proc.is_alive() and (outcome is None or not outcome[0].startswith("ok")):
            proc.kill()
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join(5)
        receive.close()
    assert outcome is not None
    return outcome


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
    try:  # private (0700), removed after
        holder: Any = tempfile.TemporaryDirectory(prefix="qdp-parse-", ignore_cleanup_errors=True)
    except OSError:  # a full disk: everything through the pipe
        holder = contextlib.nullcontext(None)
    with holder as folder:
        outcome = _watch(func, args, kwargs, folder, seconds, memory_bytes)
        if outcome[0] == "ok-pipe":
            return outcome[1]
        if outcome[0] == "ok" and folder is not None:
            with open(os.path.join(folder, "result"), "rb") as fh:
                return pickle.load(fh)  # read once the worker has exited
    status, value = outcome
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
