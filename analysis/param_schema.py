"""A small schema for parameter files (TOML): types, ranges, lengths and sums, every message naming its key.

Both parameter files (亩产效益 ``land_yield.toml``, site selection ``siting.toml``) are checked by
:func:`check` against a tree of specs::

    SCHEMA = Table({"cap": Number(1, 100), "title": Text(), "weights": Table({...}, min_sum=1e-6)})
    values = check(SCHEMA, tomllib.loads(text), ConfigError)

:func:`check` collects every problem (unknown and missing keys, wrong types, values out of range,
non-finite numbers, sums) and raises the caller's error class once, with one ``key: 中文 / English``
part per problem; otherwise it returns the values normalised (numbers as ``float``, lists as
``tuple``, text NFKC-normalised and stripped). Numbers are bounded, so sums of them cannot
overflow. :func:`toml_value` and :func:`toml_key` write values back so that every checked
configuration loads again unchanged.
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_NUMBER",
    "MAX_TOML_BYTES",
    "Choice",
    "Flag",
    "Integer",
    "Keyed",
    "Number",
    "Sequence",
    "Spec",
    "Table",
    "Text",
    "check",
    "read_toml",
    "toml_key",
    "toml_value",
]

MAX_NUMBER = 1e6  # default upper bound of a number: sums of a few thousand of them stay finite
MAX_TOML_BYTES = 1024 * 1024  # a parameter file is a few kB
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BAD_TEXT_CATEGORIES = {"Zl", "Zp"}  # line and paragraph separators; every C* category is refused as well


def _show(value: Any) -> str:
    """A short, single-line ``repr`` of a value for messages."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _refused(char: str) -> bool:
    """Control, format, surrogate, private-use, unassigned characters and line/paragraph separators."""
    category = unicodedata.category(char)
    return category[0] == "C" or category in _BAD_TEXT_CATEGORIES


def _path(key: str, name: str) -> str:
    shown = name if _BARE_KEY.fullmatch(name) else _show(name)
    return f"{key}.{shown}" if key else shown


@dataclass(frozen=True)
class Number:
    """A finite real number (TOML integer or float, not a boolean) in ``[low, high]``; gives ``float``."""

    low: float = 0.0
    high: float = MAX_NUMBER

    def check(self, value: Any, key: str, problems: list[str]) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            problems.append(f"{key}: 须为有限数字 / must be a finite number, got {_show(value)}")
            return None
        if not self.low <= value <= self.high:
            problems.append(
                f"{key}: 须在 {self.low:g}–{self.high:g} 之间 / must be in [{self.low:g}, {self.high:g}], "
                f"got {_show(value)}"
            )
            return None
        return float(value)


@dataclass(frozen=True)
class Integer:
    """A whole number (TOML integer, not a float or boolean) in ``[low, high]``."""

    low: int
    high: int

    def check(self, value: Any, key: str, problems: list[str]) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{key}: 须为整数 / must be an integer, got {_show(value)}")
            return None
        if not self.low <= value <= self.high:
            problems.append(
                f"{key}: 须在 {self.low}–{self.high} 之间 / must be in [{self.low}, {self.high}], got {_show(value)}"
            )
            return None
        return int(value)


@dataclass(frozen=True)
class Flag:
    """``true`` or ``false``."""

    def check(self, value: Any, key: str, problems: list[str]) -> Any:
        if not isinstance(value, bool):
            problems.append(f"{key}: 须为 true 或 false / must be true or false, got {_show(value)}")
            return None
        return value


@dataclass(frozen=True)
class Choice:
    """One of a few strings."""

    options: tuple[str, ...]

    def check(self, value: Any, key: str, problems: list[str]) -> Any:
        if not isinstance(value, str) or value not in self.options:
            problems.append(f"{key}: 须为 {list(self.options)} 之一 / must be one of {list(self.options)}, "
                            f"got {_show(value)}")  # fmt: skip
            return None
        return value


@dataclass(frozen=True)
class Text:
    """One line of text: NFKC-normalised, stripped, 1–``max_len`` characters, no control or format characters."""

    max_len: int = 200

    def check(self, value: Any, key: str, problems: list[str]) -> Any:
        if not isinstance(value, str):
            problems.append(f"{key}: 须为文本 / must be text, got {_show(value)}")
            return None
        text = value
        for _ in range(4):  # NFKC can expose white space that stripping removes; repeat until stable
            again = unicodedata.normalize("NFKC", text).strip()
            if again == text:
                break
            text = again
        bad = sorted({f"U+{ord(c):04X}" for c in text if _refused(c)})
        if bad:
            problems.append(f"{key}: 须为单行文本，不能含控制或格式字符 / must be one line without control or "
                            f"format characters, found {', '.join(bad[:5])}")  # fmt: skip
            return None
        if not 1 <= len(text) <= self.max_len:
            problems.append(f"{key}: 长度须为 1–{self.max_len} 个字符 / must be 1–{self.max_len} characters long, "
                            f"got {len(text)}")  # fmt: skip
            return None
        return text


@dataclass(frozen=True)
class Sequence:
    """A list of ``min_len``–``max_len`` items of one spec; gives a ``tuple``."""

    item: Number | Integer
    min_len: int = 0
    max_len: int = 100

    def check(self, value: Any, key: str, problems: list[str]) -> Any:
        if not isinstance(value, (list, tuple)):
            problems.append(f"{key}: 须为列表 / must be a list such as [1, 2], got {_show(value)}")
            return None
        if not self.min_len <= len(value) <= self.max_len:
            size = str(self.min_len) if self.min_len == self.max_len else f"{self.min_len}–{self.max_len}"
            problems.append(f"{key}: 须有 {size} 项 / must have {size} items, got {len(value)}")
            return None
        before = len(problems)
        items = tuple(self.item.check(v, f"{key}[{i}]", problems) for i, v in enumerate(value))
        return items if len(problems) == before else None


@dataclass(frozen=True)
class Table:
    """A TOML table with known keys.

    Attributes
    ----------
    fields : mapping of key → spec
        The keys allowed; any other key is reported as unknown.
    required : tuple of str or True
        Keys that must be present (``True``: all of them).
    min_sum : float, optional
        The numbers of the table must add up to at least this (weights: not all zero).
    total : float, optional
        The numbers of the table must add up to this, within ``1e-6`` (shares).
    noun : (str, str)
        What the keys are, in messages: ``("键", "keys")``, ``("指标", "indicators")`` …
    """

    fields: Mapping[str, Spec]
    required: tuple[str, ...] | bool = ()
    min_sum: float | None = None
    total: float | None = None
    noun: tuple[str, str] = ("键", "keys")

    def check(self, value: Any, key: str, problems: list[str]) -> Any:
        where = f"[{key}] " if key else ""
        if not isinstance(value, Mapping):
            problems.append(f"{key or '?'}: 须为表 / must be a table such as [{key}], got {_show(value)}")
            return None
        zh, en = self.noun
        unknown = [k for k in value if k not in self.fields]
        if unknown:
            problems.append(f"{where}未知{zh} / unknown {en} {sorted(map(str, unknown))}; "
                            f"可用 / known: {list(self.fields)}")  # fmt: skip
        required = tuple(self.fields) if self.required is True else self.required or ()
        missing = [k for k in required if k not in value]
        if missing:
            problems.append(f"{where}缺少{zh} / missing {en} {missing}")
        before = len(problems)
        out = {k: spec.check(value[k], _path(key, k), problems) for k, spec in self.fields.items() if k in value}
        if len(problems) > before:
            return None
        numbers = [v for k, v in out.items() if isinstance(self.fields[k], Number)]
        total = math.fsum(numbers)  # exact; every number is finite and bounded, so no overflow
        if self.min_sum is not None and not total >= self.min_sum:
            problems.append(f"{key}: 各项之和须 ≥ {self.min_sum:g}（不能全为 0）/ the values must add up to at least "
                            f"{self.min_sum:g} (not all 0)")  # fmt: skip
        if self.total is not None and abs(total - self.total) > 1e-6:
            problems.append(f"{key}: 各项之和须为 {self.total:g}（当前 {total:.6g}）/ the values must add up to "
                            f"{self.total:g} (now {total:.6g})")  # fmt: skip
        return out


@dataclass(frozen=True)
class Keyed:
    """A TOML table whose keys are names chosen by the user (bare keys), each value of one spec.

    What the names must be (e.g. industry ids of the plan) is checked by whoever knows them.
    """

    value: Table
    max_items: int = 500
    noun: tuple[str, str] = ("键", "keys")

    def check(self, value: Any, key: str, problems: list[str]) -> Any:
        if not isinstance(value, Mapping):
            problems.append(f"{key or '?'}: 须为表 / must be a table such as [{key}], got {_show(value)}")
            return None
        if len(value) > self.max_items:
            problems.append(f"{key}: 最多 {self.max_items} 项 / at most {self.max_items} entries, got {len(value)}")
            return None
        bad = sorted(str(k) for k in value if not isinstance(k, str) or not _BARE_KEY.fullmatch(k))
        if bad:
            zh, en = self.noun
            problems.append(f"{key}: {zh}须为字母、数字、_ 或 - / {en} must be letters, digits, _ or -, got {bad[:5]}")
            return None
        before = len(problems)
        out = {k: self.value.check(v, _path(key, k), problems) for k, v in value.items()}
        return out if len(problems) == before else None


Spec = Number | Integer | Flag | Choice | Text | Sequence | Table | Keyed


def check(schema: Table, values: Any, error: type[Exception], source: str = "") -> dict[str, Any]:
    """Check ``values`` (a parsed TOML document) against ``schema``; return them normalised.

    Parameters
    ----------
    schema : Table
        The top-level table.
    values : mapping
        From :func:`read_toml` or a configuration object's fields.
    error : exception class
        Raised once with every problem, ``"; "``-separated, each starting with its key.
    source : str
        File name put before the problems (empty: none).
    """
    problems: list[str] = []
    out = schema.check(values, "", problems)
    if problems:
        head = f"{source}: " if source else ""
        raise error(head + "; ".join(problems))
    return out


def read_toml(source: str | Path | bytes, error: type[Exception]) -> tuple[dict[str, Any], str]:
    """Parse a TOML file or its bytes (UTF-8, a BOM allowed); return the document and a name for messages.

    Raises
    ------
    error
        The file cannot be read, is larger than :data:`MAX_TOML_BYTES`, is not UTF-8 or not TOML.
    """
    name = "upload" if isinstance(source, bytes) else str(source)
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as exc:
        raise error(f"无法读取参数文件 / cannot read {name}: {exc.strerror or exc}") from exc
    if len(data) > MAX_TOML_BYTES:
        raise error(f"参数文件过大 / {name} is larger than {MAX_TOML_BYTES // 1024} kB")
    try:
        return tomllib.loads(data.decode("utf-8-sig")), name
    except UnicodeDecodeError as exc:
        raise error(f"参数文件须为 UTF-8 编码 / {name} is not UTF-8 text: {exc.reason}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(f"参数文件格式错误 / {name} is not valid TOML: {exc}") from exc
    except RecursionError as exc:  # arrays nested thousands deep: a hostile file, not a parameter file
        raise error(f"参数文件嵌套过深 / {name} is nested too deeply to be a parameter file") from exc


def toml_key(name: str) -> str:
    """A TOML key: bare when it can be, quoted otherwise."""
    return name if _BARE_KEY.fullmatch(name) else toml_value(name)


def toml_value(value: Any) -> str:
    """A checked value as TOML text that reads back equal (floats by ``repr``, which round-trips)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")
