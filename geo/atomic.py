"""Atomic file output: a failed write (disk full, error, interrupt) never leaves a broken or half-written file.

Every writer of the command-line tools writes to a temporary file in the target's folder and
moves it over the target only when the write has succeeded::

    with atomic_path(out) as tmp:      # tmp: <folder>/.<name>.XXXX.tmp/<name>, same suffix as out
        frame.to_csv(tmp)
    # here out is the new file; on any exception the old out is untouched and tmp is gone

The temporary file sits in a private folder next to the target, so that it keeps the target's
exact name and suffix (GDAL drivers choose the format from it), side files a driver creates
(``-journal``, ``-wal``) are removed with it, and ``os.replace`` stays on one file system
(atomic on POSIX and Windows).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["SameFileError", "atomic_path", "refuse_same_file"]


class SameFileError(ValueError):
    """The output path names the input file."""


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write instead of ``target``; replace ``target`` with it on success.

    Parameters
    ----------
    target : str or Path
        The file to (over)write; its folder must exist.

    Yields
    ------
    Path
        A path with the same file name as ``target`` in a new hidden folder next to it; it does
        not exist yet. Write the complete file there.

    Raises
    ------
    OSError
        The temporary folder cannot be created, the body did not create the file, or flushing
        (``fsync``) or the final rename fails. Whatever the body raises propagates unchanged.

    Notes
    -----
    On success the file is flushed to disk (``fsync``), renamed over ``target`` with
    :func:`os.replace` and the folder entry is flushed. On any exception, ``KeyboardInterrupt``
    included, the temporary folder is removed and ``target`` is left as it was.
    """
    target = Path(target)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name[:100]}.", suffix=".tmp", dir=target.parent))
    tmp = folder / target.name
    try:
        yield tmp
        if not tmp.is_file():
            raise OSError(f"写入未生成文件 / the writer produced no file for {target}")
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync_folder(target.parent)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _fsync(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def _fsync_folder(folder: Path) -> None:
    """Flush the folder entry after a rename (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def refuse_same_file(source: str | Path, out: str | Path) -> None:
    """Raise :class:`SameFileError` when ``out`` is the same file as ``source`` (links and ``..`` resolved).

    Raises
    ------
    SameFileError
        With a bilingual message naming both paths.
    """
    source, out = Path(source), Path(out)
    try:
        same = source.exists() and out.exists() and os.path.samefile(source, out)
    except OSError:
        same = False
    if same or source.resolve() == out.resolve():
        raise SameFileError(
            f"输出文件不能覆盖输入文件 / --out must not be the input file: {out} is {source}; choose another name"
        )
