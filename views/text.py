"""Text from data shown through Markdown: escaped so that names cannot become links, images or markup."""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import pandas as pd

from settings import display_timezone

__all__ = ["local_time", "markdown_table", "md"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=:])")


def md(text: object) -> str:
    """``text`` with every Markdown-significant character backslash-escaped.

    A plot named ``![x](http://example.com/a.png)`` then shows as those characters instead of
    loading an image from outside (Streamlit renders Markdown, and images fetch URLs).
    """
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def markdown_table(frame: pd.DataFrame) -> str:
    """``frame`` as a Markdown table (its columns as headers, each cell escaped with :func:`md`).

    Streamlit renders it as plain HTML: no data grid to load in the browser (a grid costs 0.3–0.5 s).

    Examples
    --------
    >>> print(markdown_table(pd.DataFrame({"类别": ["A"], "企业数": [1093], "政策": ["优先保障 | x"]})))
    | 类别 | 企业数 | 政策 |
    | --- | --- | --- |
    | A | 1,093 | 优先保障 \\| x |
    """
    rows = [[md(c) for c in frame.columns], ["---"] * len(frame.columns)]
    rows += [[_cell(v) for v in values] for values in frame.itertuples(index=False)]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def _cell(value: object) -> str:
    """A table cell: whole numbers with thousands separators (1,093, as the page's figures), else :func:`md`."""
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return md(f"{value:,}")
    return md(value)


def local_time(stored: object) -> str:
    """A stored UTC time (ISO 8601) as local time for people, ``YYYY-MM-DD HH:MM`` (the zone of
    ``QDP_TIMEZONE``, China Standard Time by default); anything else is shown as it is.

    Examples
    --------
    >>> local_time("2026-11-29T12:05:00+00:00")
    '2026-11-29 20:05'
    """
    try:
        moment = datetime.fromisoformat(str(stored))
    except ValueError:
        return str(stored or "")
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.astimezone(display_timezone()).strftime("%Y-%m-%d %H:%M")
