"""Chinese-first UI strings with an English switch.

Strings live in ``strings.toml``; :func:`t` looks one up. An unknown key is a programming
error and raises ``KeyError`` so that tests catch it.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = ["LANGS", "Lang", "t"]

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


@cache
def _strings() -> dict[str, dict[str, str]]:
    with Path(__file__).with_name("strings.toml").open("rb") as fh:
        return tomllib.load(fh)


def t(key: str, lang: str = "zh") -> str:
    """The UI string ``key`` in ``lang`` (``"zh"`` or ``"en"``; anything else falls back to zh)."""
    entry = _strings()[key]
    return entry.get(lang) or entry["zh"]
