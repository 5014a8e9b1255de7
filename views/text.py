"""Text from data shown through Markdown: escaped so that names cannot become links, images or markup."""

from __future__ import annotations

import re

__all__ = ["md"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=:])")


def md(text: object) -> str:
    """``text`` with every Markdown-significant character backslash-escaped.

    A plot named ``![x](http://example.com/a.png)`` then shows as those characters instead of
    loading an image from outside (Streamlit renders Markdown, and images fetch URLs).
    """
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")
