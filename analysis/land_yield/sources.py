"""Several departments' tables, one firm: the join by 统一社会信用代码 (issue 13, 2).

Tax, energy (power, gas, water), statistics (revenue, value added, employees, R&D), emissions and
land-parcel tables arrive separately; :func:`join_sources` matches their rows by the normalised
统一社会信用代码 (NFKC, upper case, no spaces or dashes) and gives one table with one row per
firm, which :func:`analysis.land_yield.enterprises.prepare_enterprises` then validates as usual.

Rules (each reported, nothing silent):

* every source needs a code column; a row without a code stays a firm of its own;
* the rows of a **parcel source** (one whose only measure is 用地面积, or a file of polygons) are
  parcels: a firm's 用地面积 is the sum of its parcels;
* in any other source a code on several rows is a duplicate: its first row is used, the others
  are merged into it and listed;
* a field given by several sources is taken from the first source in the priority order (the
  order of the sources, or ``prefer``); differing values are conflicts, listed with the winner;
* one code with different names is listed as well;
* a 年度 column must name the evaluation year.

Counts reconcile: rows of all sources = firms + rows merged into another firm's row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from analysis.land_yield.enterprises import _SCALE_LOOKUP, _numbers, _text, check_table_year
from analysis.land_yield.issues import IssueLog, join_per_group
from analysis.land_yield.schema import FIELDS, ColumnMatch, SchemaError, coords_hint, match_columns
from analysis.land_yield.schema import field as field_of
from geo.checks import QINGDAO_BBOX
from geo.chinacoords import china_crs, convert
from geo.crs import to_wgs84
from geo.measure import area_mu
from geo.tables import ROW_COLUMN
from geo.text import clean_array

__all__ = ["JOIN_ROW_LABEL", "Joined", "Source", "apply_header_map", "join_sources", "normalise_codes"]

JOIN_ROW_LABEL = "家企业"  # messages about a joined firm: "第 12 家企业：…"
_IDENTITY = ("name", "credit_code", "industry_code", "industry", "district", "scale", "lon", "lat", "start_year",
             "year")  # fmt: skip
_TEXT = {f.id for f in FIELDS if f.kind == "text"}
_REQUIRED = tuple(f.id for f in FIELDS if f.required)


@dataclass(frozen=True)
class Source:
    """One department's table.

    Attributes
    ----------
    name : str
        How the source is named in reports and for ``prefer`` (``"税务"``, a file's stem).
    table : DataFrame or GeoDataFrame
        As read by :func:`files.enterprises.read_enterprises` (text cells, ``_row``).
    header_map : mapping of str to str
        Headers the schema does not know → field ids (``{"纳税总额": "tax"}``); the values must be
        in the field's unit.
    coords : {"auto", "wgs84", "gcj02", "bd09"}
        Coordinate system of its 经度/纬度 (``"auto"``: from the headers, else WGS84).
    """

    name: str
    table: pd.DataFrame
    header_map: Mapping[str, str] = field(default_factory=dict)
    coords: str = "auto"


@dataclass
class Joined:
    """The joined table and what the join did.

    Attributes
    ----------
    table : DataFrame
        One row per firm, canonical headers (``税收(万元)`` …) in canonical units, coordinates in
        WGS84, ``_row`` = the firm's number (1, 2, …) in order of first appearance.
    origin : DataFrame
        Per firm (index = ``_row``), one column per source: the firm's (first) row there, ``<NA>``
        where the source does not have it.
    issues : DataFrame
        Issue rows (see :class:`analysis.land_yield.issues.IssueLog`) about firms (``row`` = firm
        number) and about sources (``row`` 0).
    sources : DataFrame
        Per source: ``source, rows, firms, no_code, duplicate_rows, only_here, missing, fields``.
    conflicts : DataFrame
        ``row, credit_code, field, source, value, winner, winner_value`` — differing values of one
        firm (names included; within a source: ``source`` names the row).
    unmatched : DataFrame
        ``source, source_row, credit_code, name`` — rows whose code no other source has.
    n_input : int
        Rows of all sources.
    merged : int
        Rows merged into another row's firm (``n_input - len(table)``).
    """

    table: pd.DataFrame
    origin: pd.DataFrame
    issues: pd.DataFrame
    sources: pd.DataFrame
    conflicts: pd.DataFrame
    unmatched: pd.DataFrame
    n_input: int
    merged: int


def apply_header_map(frame: pd.DataFrame, header_map: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with the mapped headers renamed to their fields' headers (``纳税总额`` → ``税收(万元)``).

    Raises
    ------
    SchemaError
        A mapping names a field that does not exist.

    Examples
    --------
    >>> apply_header_map(pd.DataFrame({"纳税总额": [1]}), {"纳税总额": "tax", "别的": "name"}).columns.tolist()
    ['税收(万元)']
    """
    ids = {f.id for f in FIELDS}
    unknown = sorted(fid for fid in header_map.values() if fid not in ids)
    if unknown:
        raise SchemaError(f"表头映射到未知字段 {unknown} / unknown fields {unknown} in the header mapping")
    return frame.rename(columns={h: field_of(fid).zh for h, fid in header_map.items() if h in frame.columns})


def normalise_codes(codes: pd.Series) -> pd.Series:
    """统一社会信用代码 as matched: NFKC, no invisible characters, upper case, no spaces or dashes.

    Examples
    --------
    >>> normalise_codes(pd.Series(["９１３７０２００ 0000-000001x", None])).tolist()
    ['913702000000000001X', '']
    """
    codes_ = _codes(_arrow_text(codes))
    return pd.Series(pc.fill_null(codes_, "").to_numpy(zero_copy_only=False), index=codes.index, dtype=object)


def _arrow_text(raw: pd.Series) -> pa.Array:
    """A column as an Arrow string array, empty cells null (numbers read from vector files as text)."""
    try:
        arr = pa.array(raw, type=pa.large_string(), from_pandas=True)  # NaN and None → null
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arr = pa.array(raw.map(str, na_action="ignore"), type=pa.large_string(), from_pandas=True)
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.large_string()), arr)


def _codes(arr: pa.Array) -> pa.Array:
    """Codes as matched; a placeholder (无, 0, N/A: shorter than 15 characters or not letters and digits) is none."""
    if pc.all(pc.ascii_is_alnum(arr)).as_py() is not False:  # the usual case: nothing to remove
        arr = pc.ascii_upper(arr)
    else:
        arr = pc.utf8_upper(pc.replace_substring_regex(clean_array(arr), r"[\s\-‐‑–—－]+", ""))
    code_like = pc.and_(pc.ascii_is_alnum(arr), pc.greater_equal(pc.utf8_length(arr), 15))
    return pc.if_else(pc.fill_null(code_like, False), arr, pa.scalar(None, pa.large_string()))


@dataclass
class _Parsed:
    """One source's rows in canonical fields (numbers in canonical units, WGS84)."""

    name: str
    rows: np.ndarray  # the source's row numbers
    codes: pa.Array  # normalised, null where the row has none
    numbers: dict[str, np.ndarray]  # field → canonical unit, NaN empty
    text: dict[str, pa.Array]  # field → text as read, null empty (cleaned when encoded)
    bad: dict[str, pd.Series]  # numeric field → raw text where the cell is not a number
    parcels: bool

    @property
    def fields(self) -> list[str]:
        return ["credit_code", *self.text, *self.numbers]


def _parse(src: Source, log: IssueLog, evaluation_year: int | None) -> _Parsed:
    table = src.table
    is_vector = isinstance(table, gpd.GeoDataFrame) and table.geometry.notna().any()
    frame = pd.DataFrame(table.drop(columns=table.geometry.name) if is_vector else table).reset_index(drop=True)
    rows = (frame[ROW_COLUMN] if ROW_COLUMN in frame else pd.Series(np.arange(len(frame)) + 2)).to_numpy(int)
    try:
        renamed = apply_header_map(frame, src.header_map)
    except SchemaError as exc:
        raise SchemaError(f"来源“{src.name}”：{exc}") from exc
    headers = [c for c in renamed.columns if c != ROW_COLUMN]
    try:
        matches: dict[str, ColumnMatch] = match_columns(headers, optional=_REQUIRED)
    except SchemaError as exc:
        raise SchemaError(f"来源“{src.name}”：{exc}") from exc
    if "credit_code" not in matches:
        raise SchemaError(
            f"来源“{src.name}”没有 统一社会信用代码 列，无法与其他来源匹配（可在表头映射中指定） / source "
            f"{src.name!r} has no credit_code column to join on (map one of its headers to it)"
        )
    numbers: dict[str, np.ndarray] = {}
    text: dict[str, pa.Array] = {}
    bad: dict[str, pd.Series] = {}
    for fid, m in matches.items():
        raw = renamed[m.header]
        if fid == "credit_code":
            continue
        if fid in _TEXT:
            text[fid] = _arrow_text(raw)
            continue
        parsed, wrong = _numbers(raw)
        numbers[fid] = (parsed * m.factor).to_numpy(float)
        if wrong.any():
            bad[fid] = _text(raw).where(wrong, "")
    codes = _codes(_arrow_text(renamed[matches["credit_code"].header]))
    measures = {fid for fid in matches if fid not in _IDENTITY}
    parcels = measures == {"land_mu"}
    _to_wgs84(numbers, src, matches, log)  # typed coordinates; points from the shapes are WGS84 already
    if is_vector:
        parcels |= _from_geometry(table, numbers, log, src.name)
    if "year" in numbers and evaluation_year is not None:
        check_table_year(pd.Series(numbers["year"]), evaluation_year, src.name)
    return _Parsed(src.name, rows, codes, numbers, text, bad, parcels)


def _from_geometry(table: gpd.GeoDataFrame, values: dict[str, np.ndarray], log: IssueLog, name: str) -> bool:
    """Locations (and parcel areas in 亩 where 用地面积 is empty) from a vector source; True for polygons."""
    gdf = to_wgs84(table.reset_index(drop=True)) if table.crs else table.reset_index(drop=True)
    geoms = gdf.geometry.to_numpy()
    areal = (shapely.get_type_id(geoms) >= 3) & ~shapely.is_missing(geoms)
    points = shapely.point_on_surface(geoms)
    for fid, coord in (("lon", shapely.get_x(points)), ("lat", shapely.get_y(points))):
        given = values.get(fid, np.full(len(geoms), np.nan))
        values[fid] = np.where(np.isnan(given), coord, given)
    if areal.any():
        land = values.get("land_mu", np.full(len(geoms), np.nan)).copy()
        fill = areal & np.isnan(land)
        land[fill] = np.round(area_mu(gdf.geometry[fill]).to_numpy(), 2)
        values["land_mu"] = land
        if fill.any():
            n = int(fill.sum())
            log.add(np.array([0]), "land_mu", "warning", f"来源“{name}”：{n} 个地块的用地面积按图形计算（亩）",
                    f"source {name!r}: land of {n} parcels computed from their shapes (mu)")  # fmt: skip
    located = ~shapely.is_missing(geoms)
    return bool(areal[located].all()) if located.any() else False  # a feature without a shape is not a point


def _to_wgs84(values: dict[str, np.ndarray], src: Source, matches: dict[str, ColumnMatch], log: IssueLog) -> None:
    """GCJ-02 / BD-09 coordinates (named by the headers or chosen) converted to WGS84, inside Qingdao only."""
    hint = coords_hint(matches)
    system = src.coords if src.coords != "auto" else (hint or "wgs84")
    if system == "wgs84" or "lon" not in values or "lat" not in values:
        return
    lon, lat = values["lon"].copy(), values["lat"].copy()
    lo0, la0, lo1, la1 = QINGDAO_BBOX
    inside = (lon >= lo0) & (lon <= lo1) & (lat >= la0) & (lat <= la1)
    if inside.any():
        lon[inside], lat[inside] = convert(lon[inside], lat[inside], china_crs(system), "wgs84")
        values["lon"], values["lat"] = lon, lat
        log.add(np.array([0]), "lon", "warning", f"来源“{src.name}”：坐标按 {system.upper()} 转换为 WGS84",
                f"source {src.name!r}: coordinates converted from {system.upper()} to WGS84")  # fmt: skip


def _empty(values: np.ndarray) -> np.ndarray:
    """Empty cells: NaN numbers, text code −1."""
    return values < 0 if values.dtype.kind == "i" else np.isnan(values)


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype.kind == "i":
        return np.asarray(a == b, dtype=bool)
    return np.isclose(a, b, rtol=1e-6, atol=1e-9)


def _shown(values: np.ndarray, fid: str, text: dict[str, tuple[np.ndarray, list[np.ndarray]]]) -> np.ndarray:
    """Values as written in a report: text decoded, numbers with up to ten significant digits."""
    if fid in text:
        return np.append(text[fid][0], "")[values]
    return pd.Series(values).map(lambda v: f"{v:.10g}", na_action="ignore").fillna("").to_numpy(object)


def join_sources(
    sources: Sequence[Source],
    evaluation_year: int | None = None,
    prefer: Mapping[str, str] | None = None,
) -> Joined:
    """Join several tables of the same firms by 统一社会信用代码.

    Parameters
    ----------
    sources : sequence of Source
        At least one; names must be distinct. Their order is the default priority when values
        conflict.
    evaluation_year : int, optional
        A source whose 年度 column names one other year is refused.
    prefer : mapping of str to str, optional
        Field id → the name of the source that wins for that field (``{"tax": "税务"}``); the
        others follow in source order.

    Returns
    -------
    Joined

    Raises
    ------
    SchemaError
        No source, duplicate names, a source without a code column, a required field in no source,
        a header with an unknown unit,
        a source of another year, sources of different years, or ``prefer`` naming an unknown
        field or source.

    Examples
    --------
    >>> a, b = "913702000000000012", "91370200000000002X"
    >>> tax = pd.DataFrame({"统一社会信用代码": [a, b], "企业名称": ["甲", "乙"], "规模": ["规下", "规下"],
    ...                     "税收(万元)": ["10", "5"]})
    >>> land = pd.DataFrame({"信用代码": [a, a.lower(), b], "用地面积(亩)": ["3", "4", "2"]})
    >>> j = join_sources([Source("税务", tax), Source("自然资源", land)])
    >>> j.table[["企业名称", "税收(万元)", "用地面积(亩)"]].values.tolist()
    [['甲', 10.0, 7.0], ['乙', 5.0, 2.0]]
    >>> j.n_input, j.merged
    (5, 3)
    """
    if not sources:
        raise SchemaError("没有输入表 / no input tables")
    names = [s.name for s in sources]
    if len(set(names)) != len(names):
        raise SchemaError(f"来源名称重复：{names} / source names must be distinct")
    prefer = dict(prefer or {})
    for fid, name in prefer.items():
        if fid not in {f.id for f in FIELDS}:
            raise SchemaError(f"优先来源设置中的字段“{fid}”不存在 / unknown field {fid!r} in the preferred sources")
        if name not in names:
            raise SchemaError(f"优先来源“{name}”不在输入表中（{'、'.join(names)}） / unknown source {name!r}")
    log = IssueLog(row_label=JOIN_ROW_LABEL)
    parsed = [_parse(s, log, evaluation_year) for s in sources]
    _check_years(parsed, evaluation_year)
    provided = {f for p in parsed for f in p.fields}
    missing = [f for f in FIELDS if f.required and f.id not in provided]
    if missing:
        raise SchemaError(
            f"缺少必填列：{'、'.join(f.zh for f in missing)}（所有来源都没有；可在表头映射中指定） / missing required "
            f"columns: {', '.join(f.en for f in missing)} (no source has them; map a header to them)"
        )

    firm_of, codes = _firms(parsed)
    n_firms = len(codes)
    text_values = _encode_text(parsed)

    present = np.zeros((len(parsed), n_firms), dtype=bool)
    columns: dict[str, list[tuple[int, np.ndarray, np.ndarray | None]]] = {}
    conflicts: list[pd.DataFrame] = []
    source_rows = []
    origin = pd.DataFrame(index=pd.RangeIndex(1, n_firms + 1, name=ROW_COLUMN))
    for i, (p, firms) in enumerate(zip(parsed, firm_of, strict=True)):
        present[i, firms] = True
        first_firms, first_rows = np.unique(firms, return_index=True)
        has_dups = len(first_firms) < len(firms)
        first_row = np.full(n_firms, -1)
        first_row[first_firms] = p.rows[first_rows]
        origin[p.name] = pd.arrays.IntegerArray(np.maximum(first_row, 0), first_row < 0)
        for fid in p.fields[1:]:
            vals = text_values[fid][1][i] if fid in text_values else p.numbers[fid]
            arr = np.full(n_firms, -1 if vals.dtype.kind == "i" else np.nan, dtype=vals.dtype)
            if fid == "land_mu" and p.parcels and has_dups:
                arr[first_firms] = pd.Series(vals).groupby(firms).sum(min_count=1).reindex(first_firms).to_numpy()
            elif has_dups:  # the first value given among the firm's rows (an empty first row takes none)
                given = pd.Series(np.where(_empty(vals), np.nan, vals.astype(float)))
                firsts = given.groupby(firms).first().reindex(first_firms).to_numpy()
                arr[first_firms] = (
                    np.where(np.isnan(firsts), -1, firsts).astype(vals.dtype) if vals.dtype.kind == "i" else firsts
                )
            else:
                arr[first_firms] = vals[first_rows]
            if has_dups and not (fid == "land_mu" and p.parcels):
                dup = np.ones(len(firms), dtype=bool)
                dup[first_rows] = False
                differ = dup & ~_empty(vals) & ~_empty(arr[firms]) & ~_same(vals, arr[firms])
                if differ.any():
                    kept = first_row[firms[differ]]
                    conflicts.append(pd.DataFrame({
                        "firm": firms[differ], "field": fid, "source": [f"{p.name} 第 {r} 行" for r in p.rows[differ]],
                        "value": _shown(vals[differ], fid, text_values),
                        "winner": [f"{p.name} 第 {r} 行" for r in kept],
                        "winner_value": _shown(arr[firms[differ]], fid, text_values)}))  # fmt: skip
            bad = None
            if fid in p.bad:  # a cell that is not a number, on any of the firm's rows, reaches the firm
                bad = np.full(n_firms, "", dtype=object)
                text = p.bad[fid].to_numpy(object)
                wrong = text != ""
                bad[firms[wrong][::-1]] = text[wrong][::-1]  # the first bad cell of each firm
            columns.setdefault(fid, []).append((i, arr, bad))
        dup_rows = len(firms) - len(first_firms)
        source_rows.append({"source": p.name, "rows": len(firms), "firms": len(first_firms),
                            "no_code": int(p.codes.null_count), "duplicate_rows": dup_rows,
                            "parcels": p.parcels, "fields": "、".join(field_of(f).zh for f in p.fields)})  # fmt: skip
        if dup_rows:
            _report_repeats(p, firms, first_firms, log)

    order = _priority(names, {**({"lon": prefer["lat"]} if "lat" in prefer else {}), **prefer})
    positions = {i: _has_position(columns, i, n_firms) for i in range(len(parsed))}
    out = pd.DataFrame({ROW_COLUMN: np.arange(1, n_firms + 1)})
    for fid, given in columns.items():
        rank_field = "lon" if fid in ("lon", "lat") else fid  # a position comes whole from one source
        ranked = sorted(given, key=lambda t: order[rank_field][t[0]])
        winner = np.full(n_firms, -1)
        for k, (i, arr, bad) in enumerate(ranked):
            filled = ~_empty(arr) if bad is None else ~_empty(arr) | (bad != "")
            if fid in ("lon", "lat"):  # both coordinates from the same source, or neither from it
                filled &= positions[i]
            winner[(winner < 0) & filled] = k
        value = np.choose(np.maximum(winner, 0), [arr for _, arr, _ in ranked])
        if fid not in text_values:
            value = np.where(winner < 0, np.nan, value)
        for k, (i, arr, _) in enumerate(ranked):
            differ = (winner != k) & (winner >= 0) & ~_empty(arr) & ~_empty(value) & ~_same(arr, value)
            if differ.any():
                win_names = np.array([parsed[t[0]].name for t in ranked], dtype=object)
                conflicts.append(pd.DataFrame({
                    "firm": np.flatnonzero(differ), "field": fid, "source": parsed[i].name,
                    "value": _shown(arr[differ], fid, text_values), "winner": win_names[winner[differ]],
                    "winner_value": _shown(value[differ], fid, text_values)}))  # fmt: skip
        if fid in text_values:
            out[field_of(fid).zh] = _shown(value, fid, text_values)
        elif any(bad is not None for _, _, bad in ranked):  # a cell that is not a number stays as written
            cells = value.astype(object)
            for k, (_, _, bad) in enumerate(ranked):
                if bad is not None:
                    wrong = (winner == k) & (bad != "")
                    cells[wrong] = bad[wrong]
            out[field_of(fid).zh] = cells
        else:
            out[field_of(fid).zh] = value
    for f in FIELDS:
        if f.zh not in out:
            out[f.zh] = "" if f.kind == "text" else np.nan
    out[field_of("credit_code").zh] = codes

    conflict_table = _conflicts(conflicts, codes, log)
    unmatched = _unmatched(parsed, firm_of, present, codes, text_values, log)
    summary = pd.DataFrame(source_rows)
    alone = present.sum(axis=0) == 1
    summary.insert(3, "only_here", [int((alone & present[i]).sum()) if len(parsed) > 1 else 0
                                    for i in range(len(parsed))])  # fmt: skip
    summary.insert(4, "missing", [int((~present[i]).sum()) for i in range(len(parsed))])
    for i, p in enumerate(parsed):
        no_code = firm_of[i][p.codes.is_null().to_numpy(zero_copy_only=False)]
        if len(no_code) and len(parsed) > 1:
            log.add(no_code + 1, "credit_code", "warning",
                    f"来源“{p.name}”的这一行没有统一社会信用代码，无法与其他来源匹配，单独作为一家企业",
                    f"this row of source {p.name!r} has no credit_code: it cannot be matched, it stands "
                    "alone")  # fmt: skip
    n_input = sum(len(p.rows) for p in parsed)
    return Joined(out, origin, log.table(), summary, conflict_table, unmatched, n_input, n_input - n_firms)


def _has_position(
    columns: dict[str, list[tuple[int, np.ndarray, np.ndarray | None]]], source: int, n: int
) -> np.ndarray:
    """Firms to which source ``source`` gives both a longitude and a latitude (numbers or cells as written)."""
    both = np.ones(n, dtype=bool)
    for fid in ("lon", "lat"):
        given = [(arr, bad) for i, arr, bad in columns.get(fid, []) if i == source]
        if not given:
            return np.zeros(n, dtype=bool)
        arr, bad = given[0]
        both &= ~_empty(arr) if bad is None else ~_empty(arr) | (bad != "")
    return both


def _firms(parsed: list[_Parsed]) -> tuple[list[np.ndarray], np.ndarray]:
    """Each row's firm (0, 1, … in order of first appearance) and each firm's code ("" for none).

    Rows with the same code are one firm; a row without a code is a firm of its own.
    """
    chunks = [p.codes for p in parsed]
    encoded = pa.chunked_array(chunks, type=pa.large_string()).combine_chunks().dictionary_encode()
    ids = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    n_coded = len(encoded.dictionary)
    lone = ids < 0
    ids[lone] = n_coded + np.arange(int(lone.sum()))
    firsts = np.unique(ids, return_index=True)[1]  # by id: the first row of each firm
    renumber = np.empty(len(firsts), dtype=np.int64)
    renumber[np.argsort(firsts, kind="stable")] = np.arange(len(firsts))
    ids = renumber[ids]
    codes = np.full(len(firsts), "", dtype=object)
    codes[renumber[:n_coded]] = encoded.dictionary.to_numpy(zero_copy_only=False)
    bounds = np.cumsum([0, *(len(c) for c in chunks)])
    return [ids[bounds[i] : bounds[i + 1]] for i in range(len(chunks))], codes


def _report_repeats(p: _Parsed, firms: np.ndarray, first_firms: np.ndarray, log: IssueLog) -> None:
    """A firm on several rows of one source: its parcels (areas added) or duplicates (first row used)."""
    counts = np.bincount(firms)[first_firms]
    several = first_firms[counts > 1]
    repeated = np.isin(firms, several)
    listed = join_per_group(firms[repeated], pd.Series(p.rows[repeated]).astype(str), "、").sort_index()
    if p.parcels:
        log.add(listed.index.to_numpy() + 1, "land_mu", "warning",
                f"用地面积 为来源“{p.name}”中多个地块之和（第 {{value}} 行）",
                f"land is the sum of several parcels of source {p.name!r} (rows {{value}})", listed)  # fmt: skip
    else:
        log.add(listed.index.to_numpy() + 1, "credit_code", "warning",
                f"统一社会信用代码 在来源“{p.name}”中重复（第 {{value}} 行），采用第一行，其余行并入",
                f"credit_code repeats in source {p.name!r} (rows {{value}}); the first row is used, the others are "
                "merged into it", listed)  # fmt: skip


def _encode_text(parsed: list[_Parsed]) -> dict[str, tuple[np.ndarray, list[np.ndarray]]]:
    """Text fields as integer codes shared by all sources (−1 empty): compared and chosen as numbers.

    Each distinct text is cleaned once (NFKC, no invisible characters); 规模 is compared by
    meaning (``是`` and ``规上`` are one value).
    """
    encoded = {}
    for fid in sorted({f for p in parsed for f in p.text}):
        parts = [p.text.get(fid, pa.nulls(len(p.rows), pa.large_string())) for p in parsed]
        dictionary = pa.chunked_array(parts, type=pa.large_string()).combine_chunks().dictionary_encode()
        raw_codes = pc.fill_null(dictionary.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        cleaned = clean_array(dictionary.dictionary)
        if fid == "scale":
            meaning = pd.Series(cleaned.to_pylist(), dtype=object)
            cleaned = pa.array(meaning.str.lower().map(_SCALE_LOOKUP).fillna(meaning), type=pa.large_string())
        cleaned = pc.if_else(pc.equal(cleaned, ""), pa.scalar(None, pa.large_string()), cleaned)
        again = cleaned.dictionary_encode()  # texts equal once cleaned are one value
        merged = pc.fill_null(again.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        uniques = again.dictionary.to_numpy(zero_copy_only=False).astype(object)
        codes = np.append(merged, -1)[raw_codes]  # raw −1 (empty) → the appended −1
        bounds = np.cumsum([0, *(len(x) for x in parts)])
        encoded[fid] = (uniques, [codes[bounds[i] : bounds[i + 1]] for i in range(len(parts))])
    return encoded


def _priority(names: list[str], prefer: Mapping[str, str]) -> dict[str, dict[int, int]]:
    """Field → source index → rank (0 wins): the preferred source first, then the order given."""
    order = {}
    for f in FIELDS:
        ranked = list(range(len(names)))
        if f.id in prefer:
            ranked.remove(names.index(prefer[f.id]))
            ranked.insert(0, names.index(prefer[f.id]))
        order[f.id] = {src: rank for rank, src in enumerate(ranked)}
    return order


def _check_years(parsed: list[_Parsed], evaluation_year: int | None) -> None:
    years = {}
    for p in parsed:
        if "year" in p.numbers:
            distinct = pd.unique(pd.Series(p.numbers["year"]).dropna())
            if len(distinct) == 1:
                years[p.name] = int(distinct[0])
    if evaluation_year is None and len(set(years.values())) > 1:
        listed = "、".join(f"{k} {v}" for k, v in years.items())
        raise SchemaError(f"各来源的年度不同：{listed} / sources are of different years: {years}")


def _conflicts(parts: list[pd.DataFrame], codes: np.ndarray, log: IssueLog) -> pd.DataFrame:
    columns = ["row", "credit_code", "field", "source", "value", "winner", "winner_value"]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else object) for c in columns})
    table = pd.concat(parts, ignore_index=True)
    table["row"] = table.pop("firm") + 1
    table["credit_code"] = codes[table["row"] - 1]
    table = table.sort_values(["row", "field"], kind="stable").reset_index(drop=True)[columns]
    zh = (
        table["field"].map({f.id: f.zh for f in FIELDS})
        + " 各来源不一致："
        + table["source"]
        + "“"
        + table["value"]
        + "”与 "
        + table["winner"]
        + "“"
        + table["winner_value"]
        + "”，采用后者"
    )
    en = (
        table["field"].map({f.id: f.en for f in FIELDS})
        + " differs between sources: "
        + table["source"]
        + " "
        + table["value"]
        + " vs "
        + table["winner"]
        + " "
        + table["winner_value"]
        + "; the latter is used"
    )
    log.add(table["row"].to_numpy(), "", "warning", "{value}", "{value}", zh, en)
    return table


def _unmatched(
    parsed: list[_Parsed],
    firm_of: list[np.ndarray],
    present: np.ndarray,
    codes: np.ndarray,
    text: dict[str, tuple[np.ndarray, list[np.ndarray]]],
    log: IssueLog,
) -> pd.DataFrame:
    """Rows whose code no other source has (listed, and said in the firm's row)."""
    parts = []
    if len(parsed) > 1:
        alone = present.sum(axis=0) == 1
        for i, (p, firms) in enumerate(zip(parsed, firm_of, strict=True)):
            rows = alone[firms] & p.codes.is_valid().to_numpy(zero_copy_only=False)
            names = _shown(text["name"][1][i][rows], "name", text) if "name" in p.text else ""
            parts.append(pd.DataFrame({"source": p.name, "source_row": p.rows[rows], "credit_code": codes[firms[rows]],
                                       "name": names}))  # fmt: skip
            firms_alone = np.unique(firms[rows])
            log.add(firms_alone + 1, "credit_code", "warning",
                    f"统一社会信用代码 仅见于来源“{p.name}”，其他来源无此代码",
                    f"credit_code is found in source {p.name!r} only")  # fmt: skip
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ("source", "source_row", "credit_code", "name")})
    return pd.concat(parts, ignore_index=True)
