"""Command-line arguments of a join of several tables: named inputs, preferred sources, header maps, the year."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from analysis.land_yield.config import ScoringConfig
from analysis.land_yield.pipeline import InputError
from analysis.land_yield.schema import FIELDS, SchemaError, match_header
from files.bundle import unique_names

__all__ = ["named_inputs", "preferences", "read_header_map", "with_year"]

_MAX_MAP_BYTES = 1_000_000


def named_inputs(values: list[str]) -> dict[str, Path]:
    """``--input`` values → source name → path; a name is the file's stem unless given as ``NAME=FILE``.

    Examples
    --------
    >>> named_inputs(["a/税务.xlsx", "能耗=b/energy.csv", "c/税务.csv"])
    {'税务': PosixPath('a/税务.xlsx'), '能耗': PosixPath('b/energy.csv'), '税务 (2)': PosixPath('c/税务.csv')}
    """
    pairs = []
    for value in values:
        name, sep, rest = value.partition("=")
        explicit = sep and name and rest and not Path(value).exists()
        pairs.append((name, Path(rest)) if explicit else (Path(value).stem, Path(value)))
    return dict(zip(unique_names([n for n, _ in pairs]), (p for _, p in pairs), strict=True))


def _field_id(text: str) -> str:
    """A field named by its id (``tax``) or any header spelling (``税收``, ``税收(万元)``)."""
    ids = {f.id for f in FIELDS}
    if text in ids:
        return text
    try:
        match = match_header(text)
    except SchemaError:
        match = None
    if match is None:
        raise InputError(f"未知字段“{text}” / unknown field {text!r}; fields: {', '.join(sorted(ids))}")
    return match.field


def preferences(values: list[str]) -> dict[str, str]:
    """``--prefer FIELD=SOURCE`` values → field id → source name.

    Examples
    --------
    >>> preferences(["税收=税务", "revenue=统计"])
    {'tax': '税务', 'revenue': '统计'}
    """
    prefer = {}
    for value in values:
        fid, sep, source = value.partition("=")
        if not sep or not fid.strip() or not source.strip():
            raise InputError(f"--prefer 应写作 字段=来源，如 税收=税务 / --prefer takes FIELD=SOURCE, got {value!r}")
        prefer[_field_id(fid.strip())] = source.strip()
    return prefer


def read_header_map(path: Path) -> dict[str, str]:
    """A header mapping saved as JSON (``{"纳税总额": "tax"}``; fields by id or header) → header → field id."""
    try:
        if path.stat().st_size > _MAX_MAP_BYTES:
            raise InputError(f"表头映射文件过大 / header map too large: {path}")
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InputError(f"无法读取表头映射 / cannot read {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"表头映射须为 UTF-8 JSON 对象 / the header map must be a UTF-8 JSON object: {path}") from exc
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise InputError(
            f'表头映射须为 {{"表头": "字段"}} 形式的 JSON 对象 / expected a JSON object of strings: {path}'
        )
    return {header: _field_id(fid) for header, fid in data.items()}


def with_year(config: ScoringConfig, year: int) -> ScoringConfig:
    """``config`` evaluating ``year`` (``--year``), checked as the parameter file checks it."""
    if not 1990 <= year <= 2100:
        raise InputError(f"--year 应在 1990–2100 之间 / --year must be 1990–2100, got {year}")
    return dataclasses.replace(config, evaluation_year=year)
