"""Resource limits for everything read from a file: one place, each limit with its own message.

A small file can still exhaust a server (an XLSX declaring a million rows, a polygon of 100 000
self-intersecting vertices): the readers check these limits on what a file *contains*, not only
on its size, and run the parse in a bounded worker (:mod:`geo.bounded`) so that time and memory
are capped too.

Examples
--------
>>> LIMITS.max_rows
100000
>>> too_many("行", "rows", 100001, LIMITS.max_rows)
'行数过多（100,001），上限 100,000 / too many rows (100,001; limit 100,000)'
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["LIMITS", "Limits", "too_many"]


@dataclass(frozen=True)
class Limits:
    """Limits on one input file.

    Attributes
    ----------
    max_bytes : int
        File size as uploaded (bytes); equals Streamlit's ``server.maxUploadSize``.
    max_unpacked_bytes : int
        Sum of the members of a zip (Shapefile zip or XLSX) once unpacked (bytes).
    max_ratio : float
        Largest compression ratio of a zip member over 1 MB (zip bombs reach thousands).
    max_rows : int
        Data rows of a table (five times the firms Qingdao evaluates; Suzhou's platform, the
        largest known, holds 120,000). A deployment holding more sets ``QDP_MAX_ROWS`` (with
        ``QDP_MAX_CELLS`` and ``QDP_READ_MEMORY_MB``).
    max_columns : int
        Columns of a table.
    max_cells : int
        Cells of a table (rows × columns): what a parse needs grows with them; 100,000 firms of
        20 columns parse within :attr:`memory_bytes`.
    max_features : int
        Features of a vector layer.
    max_vertices_per_geometry : int
        Vertices of one feature (a real plot has tens to a few thousand).
    max_vertices : int
        Vertices of a whole layer.
    seconds : float
        Wall time of one parse, checks and repairs included (s); ``QDP_READ_SECONDS``.
    memory_bytes : int
        Growth of the resident memory of the worker that parses one file (bytes), above what it
        shares with the forkserver; with the interpreter, its libraries and the forkserver
        (≈ 200 MB), a parse stays under 500 MB; ``QDP_READ_MEMORY_MB``.
    repair_area_tolerance : float
        Largest relative change of a feature's area that a geometry repair may make.
    max_repair_crossings : int
        Self-crossings of one feature's boundary beyond which it is not repaired (a repair costs
        memory in proportion to them; real plots needing one have a handful).
    """

    max_bytes: int = 50 * 1024 * 1024
    max_unpacked_bytes: int = 300 * 1024 * 1024
    max_ratio: float = 200.0
    max_rows: int = int(os.environ.get("QDP_MAX_ROWS", "100000"))
    max_columns: int = 200
    max_cells: int = int(os.environ.get("QDP_MAX_CELLS", "2000000"))
    max_features: int = 200_000
    max_vertices_per_geometry: int = 20_000
    max_vertices: int = 5_000_000
    seconds: float = float(os.environ.get("QDP_READ_SECONDS", "9"))
    memory_bytes: int = int(os.environ.get("QDP_READ_MEMORY_MB", "280")) * 1024 * 1024
    repair_area_tolerance: float = 0.01
    max_repair_crossings: int = 1_000


LIMITS = Limits()


def too_many(what_zh: str, what_en: str, count: int | None, limit: int) -> str:
    """The bilingual message for a count over its limit (``None``: counting stopped past the limit).

    Examples
    --------
    >>> too_many("行", "rows", None, 10)
    '行数过多（超过 10），上限 10 / too many rows (more than 10; limit 10)'
    """
    zh, en = (f"{count:,}", f"{count:,}") if count is not None else (f"超过 {limit:,}", f"more than {limit:,}")
    return f"{what_zh}数过多（{zh}），上限 {limit:,} / too many {what_en} ({en}; limit {limit:,})"
