"""Turn a raw enterprise table into validated, typed records for the 亩产效益 evaluation.

:func:`prepare_enterprises` never raises for bad *rows*: every problem becomes a line of the
issue table ("第 12 行：用地面积(亩) 必须大于 0"), rows with errors are left out, the others go on.
Only a table that cannot be read at all (a required column missing) raises
:class:`analysis.land_yield.schema.SchemaError`.

Units after preparation: land in 亩, money in 万元, energy in 吨标准煤 (tce), emissions in 吨,
employees in persons, coordinates in WGS84 degrees (EPSG:4326).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from analysis.land_yield import credit_code
from analysis.land_yield.config import INDICATORS
from analysis.land_yield.issues import IssueLog
from analysis.land_yield.schema import (
    FIELDS,
    ColumnMatch,
    SchemaError,
    coords_hint,
    field,
    match_columns,
    match_header,
)
from geo.allocation import no_collection
from geo.checks import QINGDAO_BBOX, swapped_everywhere
from geo.chinacoords import china_crs, convert
from geo.crs import WGS84, to_wgs84
from geo.measure import area_mu
from geo.pointquery import containing_polygon
from geo.tables import ROW_COLUMN
from geo.text import clean_series

__all__ = [
    "ABOVE",
    "BELOW",
    "COORD_SYSTEMS",
    "QINGDAO_BBOX",
    "EnterpriseTable",
    "check_table_year",
    "find_header_row",
    "prepare_enterprises",
]

ABOVE, BELOW = "规上", "规下"
COORD_SYSTEMS = ("auto", "wgs84", "gcj02", "bd09")  # auto: WGS84 unless the headers name GCJ-02/BD-09
_SCALE_VALUES = {
    ABOVE: ("规上", "规模以上", "规上企业", "规模以上企业", "是", "y", "yes", "true", "1", "above", "above scale"),
    BELOW: ("规下", "规模以下", "规下企业", "规模以下企业", "否", "n", "no", "false", "0", "below", "below scale"),
}
_SCALE_LOOKUP = {v: k for k, values in _SCALE_VALUES.items() for v in values}
_DISTRICT_ALIASES = {"西海岸新区": "黄岛区", "青岛西海岸新区": "黄岛区", "西海岸": "黄岛区"}
_INDUSTRY_CODE = re.compile(r"^[A-Za-z]?(\d{2})(\d{1,2})?$")
_ABOVE_REQUIRED = ("revenue", "value_added", "energy_tce", "emissions_t", "employees")
_NON_NEGATIVE = ("tax", "revenue", "value_added", "energy_tce", "emissions_t", "rd", "employees", "power_kwh", "gas_m3",
                 "water_t")  # fmt: skip
# Upper bounds of plausible values for one firm: beyond them the unit is almost surely wrong
# (元 for 万元, 平方米 for 亩) or the cell is corrupt (1e15).
PLAUSIBLE_MAX = {
    "land_mu": 100_000.0,  # 67 km²
    "tax": 1e7,  # 1 000 亿元
    "revenue": 1e8,  # 1 万亿元
    "value_added": 1e8,
    "energy_tce": 1e8,
    "emissions_t": 1e7,
    "rd": 1e7,
    "employees": 1e6,
    "power_kwh": 1e11,  # 1 000 亿千瓦时: more than the whole city uses
    "gas_m3": 1e10,
    "water_t": 1e10,
}
# Smallest plausible non-zero value: below it a unit is wrong (亩 given in 万亩, tce in 万吨) or the
# cell is corrupt (1.5e-320). Too small is as wrong as too large: a firm on 0.0001 亩 tops every
# per-亩 ranking.
PLAUSIBLE_MIN = {
    "land_mu": 0.1,  # 67 m²
    "tax": 1e-4,  # 1 元
    "revenue": 1e-4,
    "value_added": 1e-4,
    "energy_tce": 0.01,  # 10 kg of standard coal a year
    "emissions_t": 1e-4,  # 100 g
    "rd": 1e-4,
    "employees": 1.0,
}
# Largest plausible value of each indicator (units of analysis.land_yield.config.INDICATORS): well above the
# most extreme real firms (a cigarette factory pays ≈ 2,000 万元 tax per 亩).
INDICATOR_MAX = {
    "tax_per_mu": 20_000.0,
    "revenue_per_energy": 100_000.0,
    "revenue_per_emission": 1e9,
    "rd_intensity": 100.0,
    "labour_productivity": 100_000.0,
}
_THOUSANDS = r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$"


@dataclass
class EnterpriseTable:
    """Validated enterprises and the validation report.

    Attributes
    ----------
    data : GeoDataFrame
        Rows without errors, canonical columns (see :data:`analysis.land_yield.schema.FIELDS`), ``_row``
        (row number in the source), ``industry_division`` (two-digit GB/T 4754 code or
        ``<NA>``) and point geometry in EPSG:4326 (empty where the row has no location).
    issues : DataFrame
        ``row, column, severity, message_zh, message_en``; errors exclude the row.
    n_input : int
        Rows read from the source.
    columns : dict
        How the source headers were matched to fields (with unit conversion factors).
    rejected : GeoDataFrame
        The rows with at least one error, as read (same columns as ``data``): reported in the
        result with their reasons, never silently dropped (issue 13).
    """

    data: gpd.GeoDataFrame
    issues: pd.DataFrame
    n_input: int
    columns: dict[str, ColumnMatch]
    rejected: gpd.GeoDataFrame | None = None

    @property
    def n_errors(self) -> int:
        """Rows left out because of at least one error."""
        return int(self.issues.loc[self.issues["severity"] == "error", "row"].nunique())


def find_header_row(rows: Sequence[Sequence[str]]) -> int | None:
    """Index of the header among the first rows: the first row naming at least two fields.

    Chinese spreadsheets often start with a title line (``2024年度亩产效益评价企业名单``).
    ``None`` when no row qualifies (a workbook's other sheet may hold the table).

    Examples
    --------
    >>> find_header_row([["2024年度企业名单"], ["企业名称", "用地面积(亩)", "税收(万元)"]])
    1
    >>> find_header_row([["a", "b"]]) is None
    True
    """
    for i, row in enumerate(rows):
        hits = 0
        for cell in row:
            try:
                hits += match_header(str(cell)) is not None
            except ValueError:
                hits += 1  # a known header with an unknown unit is still a header
        if hits >= 2:
            return i
    return None


def _fast_floats(text: pd.Series) -> np.ndarray | None:
    """Arrow's string → float64 cast (≈ 10× faster than ``pd.to_numeric``).

    Empty cells become NaN. Returns ``None`` when any cell is not a plain finite number (the
    caller then takes the slow path, which reports or repairs each cell).
    """
    try:
        arr = pa.array(text, type=pa.large_string(), from_pandas=True)
        arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.large_string()), arr)
        floats = pc.cast(arr, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if not pc.all(pc.is_finite(floats)).as_py() and floats.null_count < len(floats):
        return None
    return floats.to_numpy(zero_copy_only=False)


def _numbers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse text to floats; returns (values, bad) where ``bad`` marks non-empty unparsable text.

    Plain numbers take the fast path; only cells that fail it are normalised (full-width digits,
    thousands separators, dashes for "none") and parsed again. Infinite values are bad.
    """
    if pd.api.types.is_numeric_dtype(text):
        values = pd.to_numeric(text, errors="coerce").astype(float)
        values = values.where(~np.isinf(values))
        return values, pd.Series(np.isinf(text.to_numpy(dtype=float, na_value=np.nan)), index=text.index)
    s = text.fillna("").astype(str)
    fast = _fast_floats(s)
    if fast is not None:
        return pd.Series(fast, index=s.index), pd.Series(False, index=s.index)
    values = pd.to_numeric(s, errors="coerce").astype(float)
    retry = (values.isna() & (s != "")) | np.isinf(values)
    values[np.isinf(values)] = np.nan
    if retry.any():
        t = s[retry].map(lambda v: unicodedata.normalize("NFKC", v)).str.strip()
        t = t.str.replace(r"\s", "", regex=True).replace({"-": "", "—": "", "/": ""})
        grouped = t.str.match(_THOUSANDS)  # 1,234.5 — a comma anywhere else (12,5) is not a number
        t = t.where(~grouped, t.str.replace(",", "", regex=False))
        parsed = pd.to_numeric(t, errors="coerce").astype(float)
        values[retry] = parsed.where(~np.isinf(parsed)).to_numpy()
        empty = pd.Series(False, index=s.index)
        empty[retry] = (t == "").to_numpy()
        bad = retry & values.isna() & ~empty
    else:
        bad = pd.Series(False, index=s.index)
    return values, bad


def _per_distinct(series: pd.Series, func: Callable[[pd.Series], pd.Series | pd.DataFrame]):
    """``func(series)`` computed once per distinct value (codes and district names repeat a lot)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    result = func(pd.Series(uniques, dtype=series.dtype))
    taken = result.take(codes)
    taken.index = series.index
    return taken


def _text(series: pd.Series) -> pd.Series:
    """Text as matched: NFKC, no zero-width, bidi or control characters (see :mod:`geo.text`);
    computed once per distinct value (districts, scales and codes repeat a lot)."""
    return _per_distinct(series.fillna("").astype(str), lambda u: clean_series(u, fold=True))


def _district_lookup(districts: gpd.GeoDataFrame) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name, name_en in zip(districts["name"], districts.get("name_en", districts["name"]), strict=True):
        lookup[name] = name
        lookup[name.rstrip("区市")] = name
        lookup[str(name_en).lower()] = name
        lookup[f"青岛市{name}"] = name
    lookup.update(_DISTRICT_ALIASES)
    return lookup


class _Preparer:
    def __init__(self, frame: pd.DataFrame, log: IssueLog):
        self.frame = frame
        self.log = log
        self.rows = frame[ROW_COLUMN]
        self.bad = pd.Series(False, index=frame.index)

    def error(self, mask: pd.Series, column: str, zh: str, en: str, values: pd.Series | None = None) -> None:
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            self.log.add(self.rows[mask], column, "error", zh, en, None if values is None else values[mask])
            self.bad |= mask

    def warn(self, mask: pd.Series, column: str, zh: str, en: str, values: pd.Series | None = None) -> None:
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            self.log.add(self.rows[mask], column, "warning", zh, en, None if values is None else values[mask])


def prepare_enterprises(
    table: pd.DataFrame,
    districts: gpd.GeoDataFrame | None = None,
    coords: str = "auto",
    evaluation_year: int | None = None,
    row_label: str | None = None,
    clean: bool = False,
) -> EnterpriseTable:
    """Validate an enterprise table and convert it to canonical columns and units.

    Parameters
    ----------
    table : DataFrame or GeoDataFrame
        As read by :func:`geo.tables.read_table` (text cells, ``_row``) or a vector file of
        points/parcels (polygons become representative points; their area in 亩 fills a missing
        用地面积). Headers in Chinese or English, see :data:`analysis.land_yield.schema.FIELDS`.
    districts : GeoDataFrame, optional
        District polygons with ``name``/``name_en`` (EPSG:4326) to check 区市 names and
        coordinates and to fill 区市 from the location.
    coords : {"auto", "wgs84", "gcj02", "bd09"}
        Coordinate system of 经度/纬度 (Chinese web maps give GCJ-02, Baidu BD-09); converted
        to WGS84. ``"auto"`` reads it from the headers (``经度(百度)``, ``高德经度``, ``gcj_lng`` …)
        and otherwise takes WGS84; a conversion is always reported in the issue table.
    evaluation_year : int, optional
        Year evaluated; 投产年份 after it is an error, and so is a 年度 naming another year.
    row_label : str, optional
        How messages name a row (see :class:`analysis.land_yield.issues.IssueLog`); by default
        ``"行"``, or ``"个要素"`` for a vector file.
    clean : bool
        The text cells are already normalised (a table joined by
        :func:`analysis.land_yield.sources.join_sources`): not normalised again.

    Returns
    -------
    EnterpriseTable

    Raises
    ------
    SchemaError
        A required column is missing or a header has an unknown unit.
    ValueError
        ``coords`` is not one of :data:`COORD_SYSTEMS`.
    """
    if coords not in COORD_SYSTEMS:
        raise ValueError(f"coords must be one of {COORD_SYSTEMS}, got {coords!r}")
    is_vector = isinstance(table, gpd.GeoDataFrame) and table.geometry.notna().any()
    frame = pd.DataFrame(table.drop(columns=table.geometry.name) if is_vector else table).copy()
    if ROW_COLUMN not in frame:
        frame[ROW_COLUMN] = np.arange(1, len(frame) + 1) + (0 if is_vector else 1)
    parcels = is_vector and bool((shapely.get_type_id(table.geometry.to_numpy()) >= 3).any())
    matches = match_columns([c for c in frame.columns if c != ROW_COLUMN], optional=("land_mu",) if parcels else ())
    frame = frame.reset_index(drop=True)
    log = IssueLog(row_label=row_label or ("个要素" if is_vector else "行"))
    p = _Preparer(frame, log)
    out = pd.DataFrame({ROW_COLUMN: frame[ROW_COLUMN].astype(int)})

    for f in FIELDS:
        if f.id not in matches:
            out[f.id] = np.nan if f.kind != "text" else ""
            continue
        raw = frame[matches[f.id].header]
        if f.kind == "text":
            out[f.id] = raw.fillna("").astype(str) if clean else _text(raw)
            continue
        values, bad = _numbers(raw)
        if bad.any():  # the cells as written, for the message; built only when one is bad
            p.error(bad, f.id, f"{f.zh} 不是数字（“{{value}}”）", f"{f.en} is not a number ({{value!r}})", _text(raw))
        out[f.id] = values * matches[f.id].factor

    for note in table.attrs.get("notes", []) + table.attrs.get("repairs", []):  # about the file: row 0
        zh, _, en = note.partition(" / ")
        log.add(np.array([0]), "", "warning", zh, en or zh)
    geometry = _vector_geometry(table, out, p) if is_vector else None
    _check_values(out, p, evaluation_year)
    _check_codes(out, p)
    points = _locate(out, p, _coordinate_system(coords, coords_hint(matches), matches, p), geometry)
    out["district"] = _check_districts(out, p, points, districts)

    keep = ~p.bad.to_numpy()
    data = gpd.GeoDataFrame(out.loc[keep].reset_index(drop=True), geometry=points[keep], crs=WGS84)
    rejected = gpd.GeoDataFrame(out.loc[~keep].reset_index(drop=True), geometry=points[~keep], crs=WGS84)
    return EnterpriseTable(data=data, issues=log.table(), n_input=len(frame), columns=matches, rejected=rejected)


def _vector_geometry(table: gpd.GeoDataFrame, out: pd.DataFrame, p: _Preparer) -> np.ndarray:
    gdf = to_wgs84(table.reset_index(drop=True)) if table.crs else table.reset_index(drop=True)
    geoms = gdf.geometry.to_numpy()
    areal = shapely.get_type_id(geoms) >= 3  # Polygon, MultiPolygon
    areal &= ~shapely.is_missing(geoms)
    if areal.any():
        parcel_mu = area_mu(gdf.geometry[areal]).to_numpy()
        land = out["land_mu"].to_numpy(copy=True)
        idx = np.flatnonzero(areal)
        stated = land[idx]
        fill = np.isnan(stated)
        land[idx[fill]] = np.round(parcel_mu[fill], 2)
        out["land_mu"] = land
        differs = pd.Series(False, index=out.index)
        with np.errstate(invalid="ignore", divide="ignore"):
            differs.iloc[idx[~fill]] = np.abs(stated[~fill] / parcel_mu[~fill] - 1) > 0.2
        p.warn(
            differs,
            "land_mu",
            "用地面积(亩) 与地块面积相差超过 20%，请核实",
            "land_mu differs from the parcel's area by more than 20 %",
        )
    return shapely.point_on_surface(geoms)


def _check_values(out: pd.DataFrame, p: _Preparer, evaluation_year: int | None) -> None:
    p.error(out["name"] == "", "name", "企业名称 不能为空", "name is empty")
    scale_text = out["scale"].str.lower()
    scale = scale_text.map(_SCALE_LOOKUP)
    p.error(
        scale.isna(),
        "scale",
        "规模 应为“规上”或“规下”（当前为“{value}”）",
        "scale must be 规上 (above) or 规下 (below), got {value!r}",
        out["scale"],
    )
    out["scale"] = scale.fillna("")
    land = out["land_mu"]
    p.error(land.isna(), "land_mu", "用地面积(亩) 不能为空", "land_mu is empty")
    p.error(land <= 0, "land_mu", "用地面积(亩) 必须大于 0", "land_mu must be greater than 0")
    p.error(out["tax"].isna(), "tax", "税收(万元) 不能为空", "tax_wan is empty")
    for fid in _NON_NEGATIVE:
        f = field(fid)
        p.error(out[fid] < 0, fid, f"{f.zh} 不能为负数", f"{f.en} must not be negative")
    for fid, low in PLAUSIBLE_MIN.items():
        tiny = (out[fid] > 0) & (out[fid] < low)
        if tiny.any():
            f = field(fid)
            shown = out.loc[tiny, fid].map(lambda v: f"{v:.6g}").reindex(out.index)
            p.error(tiny, fid, f"{f.zh} 数值过小（{{value}}，应不小于 {low:g}），请检查单位",
                    f"{f.en} is implausibly small ({{value}}; at least {low:g}); check the unit", shown)  # fmt: skip
    for iid, high in INDICATOR_MAX.items():
        ind = INDICATORS[iid]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = out[ind.numerator] / out[ind.denominator] * ind.scale
        extreme = (ratio > high) & np.isfinite(ratio) & ~p.bad
        if extreme.any():
            shown = ratio[extreme].map(lambda v: f"{v:.6g}").reindex(out.index)
            num, den = field(ind.numerator), field(ind.denominator)
            p.error(extreme, ind.numerator,
                    f"{ind.zh} 为 {{value}} {ind.unit}，超出合理范围（≤ {high:g}），请检查 {num.zh} 与 {den.zh} 的单位",
                    f"{ind.en} is {{value}} {ind.unit}, beyond the plausible {high:g}; check the units of {num.en} "
                    f"and {den.en}", shown)  # fmt: skip
    for fid, high in PLAUSIBLE_MAX.items():
        implausible = out[fid] > high
        if implausible.any():  # format only the offending cells: this runs on every row of big tables
            f = field(fid)
            shown = out.loc[implausible, fid].map(lambda v: f"{v:.6g}").reindex(out.index)
            p.error(implausible, fid, f"{f.zh} 数值不合理（{{value}}），请检查单位",
                    f"{f.en} is implausible ({{value}}); check the unit", shown)  # fmt: skip
    above = out["scale"] == ABOVE
    for fid in _ABOVE_REQUIRED:
        f = field(fid)
        p.error(above & out[fid].isna(), fid, f"规上企业必须填写 {f.zh}", f"{f.en} is required for 规上 firms")
    for fid in ("energy_tce", "employees"):
        f = field(fid)
        p.error(above & (out[fid] == 0), fid, f"{f.zh} 必须大于 0", f"{f.en} must be greater than 0")
    p.warn(
        out["rd"] > out["revenue"],
        "rd",
        "研发经费(万元) 大于 营业收入(万元)，请核实",
        "rd_wan exceeds revenue_wan; please check",
    )
    p.warn(
        out["value_added"] > out["revenue"],
        "value_added",
        "工业增加值(万元) 大于 营业收入(万元)，请核实",
        "value_added_wan exceeds revenue_wan; please check",
    )
    year = out["start_year"]
    last = evaluation_year if evaluation_year is not None else 2100
    p.error(
        year.notna() & ((year < 1900) | (year > last) | (year % 1 != 0)),
        "start_year",
        f"投产年份 应为 1900–{last} 之间的整数（当前为 {{value}}）",
        f"start_year must be a whole year 1900–{last}, got {{value}}",
        year,
    )
    out["start_year"] = year.astype("Int64")
    out["employees"] = out["employees"].round().astype("Int64")
    if evaluation_year is not None:
        check_table_year(out["year"], evaluation_year)
        stated = out["year"]
        other = stated.notna() & (stated != evaluation_year)
        p.error(
            other,
            "year",
            f"年度 为 {{value}}，与评价年度 {evaluation_year} 不一致",
            f"year is {{value}}, not the evaluation year {evaluation_year}",
            stated[other].map(lambda v: f"{v:g}").reindex(stated.index),  # formatted where said only (100k rows)
        )
    out["year"] = out["year"].where(out["year"] % 1 == 0).astype("Int64")


def check_table_year(years: pd.Series, evaluation_year: int, source: str | None = None) -> None:
    """Refuse a table (or a source of a join) whose 年度 column names one other year throughout.

    A table of another year is the wrong file, not a table with some wrong rows: the evaluation
    year comes from the parameters (``evaluation_year`` or ``--year``).

    Raises
    ------
    SchemaError
        Every filled 年度 cell names the same year, and it is not ``evaluation_year``.

    Examples
    --------
    >>> check_table_year(pd.Series([2024.0, None]), 2024)
    >>> check_table_year(pd.Series([2023.0, 2023.0]), 2024, "能耗")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.land_yield.schema.SchemaError: 来源“能耗”的年度为 2023，评价年度为 2024；...
    """
    distinct = pd.unique(years.dropna())
    if len(distinct) != 1 or distinct[0] == evaluation_year:
        return
    which_zh = f"来源“{source}”的" if source else "表中"
    which_en = f"source {source!r} is" if source else "the table is"
    raise SchemaError(
        f"{which_zh}年度为 {distinct[0]:g}，评价年度为 {evaluation_year}；请换用 {evaluation_year} 年度的数据，"
        f"或在参数中改评价年度 / {which_en} for {distinct[0]:g}, the evaluation year is {evaluation_year}: "
        f"use {evaluation_year} data or change evaluation_year"
    )


def _check_codes(out: pd.DataFrame, p: _Preparer) -> None:
    code = out["industry_code"]
    parsed = _per_distinct(code, lambda u: u.str.extract(_INDUSTRY_CODE))
    p.error(
        (code != "") & parsed[0].isna(),
        "industry_code",
        "行业代码 应为 2–4 位数字（GB/T 4754，如 3811 或 C38），当前为“{value}”",
        "industry_code must be 2–4 digits (GB/T 4754, e.g. 3811 or C38), got {value!r}",
        code,
    )
    p.warn(
        code == "",
        "industry_code",
        "未填写行业代码，无法判断是否属于电力、热力、燃气及水生产和供应业（44–46），按参评处理",
        "no industry_code: cannot tell whether the firm is a utility (44–46); rated as manufacturing",
    )
    out["industry_division"] = parsed[0].astype("Int64")
    credit = out["credit_code"].str.upper()
    out["credit_code"] = credit
    filled = credit != ""
    p.warn(
        filled & ~credit_code.is_valid(credit),
        "credit_code",
        "统一社会信用代码“{value}”格式或校验位不正确",
        "credit_code {value!r} has a wrong format or check character",
        credit,
    )
    dup = filled & credit.duplicated(keep="first")
    if dup.any():
        first = out.loc[filled].drop_duplicates("credit_code").set_index("credit_code")[ROW_COLUMN]
        p.error(
            dup,
            "credit_code",
            "统一社会信用代码 与第 {value} 行重复",
            "credit_code duplicates row {value}",
            credit.map(first),
        )


def _coordinate_system(coords: str, hint: str | None, matches: dict[str, ColumnMatch], p: _Preparer) -> str:
    """The system the lon/lat columns are in: the one chosen, else the one the headers name."""
    if hint is None:
        return "wgs84" if coords == "auto" else coords
    header = matches["lon"].header if "lon" in matches else matches["lat"].header
    first_row = pd.Series(False, index=p.frame.index)  # one message for the whole table, on its first row
    first_row.iloc[0] = True
    if coords == "auto" and hint != "wgs84":
        p.warn(first_row, "lon", f"表头“{header}”表明坐标为 {hint.upper()}，已全部转换为 WGS84（如不对请选择坐标系）",
               f"header {header!r} says {hint.upper()}: all coordinates converted to WGS84")  # fmt: skip
        return hint
    if coords not in ("auto", hint):
        p.warn(first_row, "lon", f"表头“{header}”表明坐标为 {hint.upper()}，但已按所选 {coords.upper()} 处理，请核实",
               f"header {header!r} says {hint.upper()} but {coords.upper()} was chosen; please check")  # fmt: skip
    return hint if coords == "auto" else coords


def _locate(out: pd.DataFrame, p: _Preparer, coords: str, geometry: np.ndarray | None) -> np.ndarray:
    lon, lat = out["lon"].to_numpy(float), out["lat"].to_numpy(float)
    has_lon, has_lat = ~np.isnan(lon), ~np.isnan(lat)
    p.error(
        pd.Series(has_lon ^ has_lat, index=out.index),
        "lon",
        "经度、纬度 须同时填写",
        "lon and lat must both be given",
    )
    both = has_lon & has_lat
    lon_min, lat_min, lon_max, lat_max = QINGDAO_BBOX
    inside = both & (lon >= lon_min) & (lon <= lon_max) & (lat >= lat_min) & (lat <= lat_max)
    swapped = both & ~inside & (lat >= lon_min) & (lat <= lon_max) & (lon >= lat_min) & (lon <= lat_max)
    if swapped_everywhere(inside[both], swapped[both]):  # the whole file is latitude-first: corrected
        p.warn(pd.Series(swapped, index=out.index), "lon", "经纬度顺序颠倒（整个文件纬度在前），已纠正",
               "longitude and latitude are swapped throughout the file; corrected")  # fmt: skip
        lon, lat = lat, lon
        out["lon"], out["lat"] = lon, lat
        inside, swapped = swapped, np.zeros_like(swapped)
    p.error(
        pd.Series(swapped, index=out.index),
        "lon",
        "经度、纬度 可能填反了（经度约 120，纬度约 36）",
        "lon and lat look swapped (lon ≈ 120, lat ≈ 36)",
    )
    p.error(
        pd.Series(both & ~inside & ~swapped, index=out.index),
        "lon",
        f"坐标不在青岛市范围内（经度 {lon_min}–{lon_max}，纬度 {lat_min}–{lat_max}）",
        f"coordinates outside Qingdao (lon {lon_min}–{lon_max}, lat {lat_min}–{lat_max})",
    )
    x, y = lon.copy(), lat.copy()
    if coords != "wgs84" and inside.any():
        x[inside], y[inside] = convert(lon[inside], lat[inside], china_crs(coords), "wgs84")
    points = np.full(len(out), None, dtype=object)
    with no_collection():  # 100,000 point objects: no collector passes over the table meanwhile
        points[inside] = shapely.points(x[inside], y[inside])
    if geometry is not None:
        use = ~inside & ~shapely.is_missing(geometry)
        points[use] = geometry[use]
    located = ~shapely.is_missing(points)
    p.warn(
        pd.Series(~located & ~both, index=out.index),
        "lon",
        "未填写坐标：参与评价，但不在地图和分区汇总中显示",
        "no coordinates: evaluated, but not on the map or in area totals",
    )
    out["lon"] = np.where(located, shapely.get_x(points), np.nan).round(6)
    out["lat"] = np.where(located, shapely.get_y(points), np.nan).round(6)
    return points


def _check_districts(
    out: pd.DataFrame, p: _Preparer, points: np.ndarray, districts: gpd.GeoDataFrame | None
) -> pd.Series:
    stated = out["district"]
    if districts is None or districts.empty:
        return stated
    lookup = _district_lookup(districts)
    district_names = np.append(districts["name"].astype(str).to_numpy(object), "")  # index −1 → ""
    position = {name: i for i, name in enumerate(district_names[:-1])}

    def code(s: str) -> int:  # −1 empty, −2 not a district of Qingdao
        if not s:
            return -1
        name = lookup.get(s, lookup.get(str(s).lower()))
        return position.get(name, -1) if name is not None else -2

    # Work on district indices (integers) rather than 100 000 strings.
    stated_code = _per_distinct(stated, lambda u: u.map(code).astype(np.int64)).to_numpy()
    unknown = pd.Series(stated_code == -2, index=out.index)
    if unknown.any():
        hints = stated[unknown].map(
            lambda s: "、".join(difflib.get_close_matches(s, list(districts["name"]), n=2, cutoff=0.3)) or "—"
        )
        p.error(
            unknown,
            "district",
            "区市 不是青岛市的区市：{value}",
            "district is not a district of Qingdao: {value}",
            "“" + stated[unknown] + "”（相近 / close: " + hints + "）",
        )
    given = np.where(stated_code == -2, -1, stated_code)
    located = ~shapely.is_missing(points)
    zones = to_wgs84(districts) if districts.crs is not None else districts
    owner = containing_polygon(shapely.get_x(points), shapely.get_y(points), zones.geometry.to_numpy())
    p.warn(
        pd.Series(located & (owner < 0) & (given >= 0), index=out.index),
        "lon",
        "坐标不在青岛市陆域内（可能在海上或边界外），请核实",
        "coordinates fall outside Qingdao's land area; please check",
    )
    mismatch = pd.Series((given >= 0) & (owner >= 0) & (given != owner), index=out.index)
    if mismatch.any():  # the message names both districts: built for those rows only
        shown = pd.Series(district_names[given] + "”，坐标位于“" + district_names[owner], index=out.index)
        p.warn(
            mismatch,
            "district",
            "区市 填写为“{value}”，按坐标所在区市计",
            "district as stated differs from the location; the location's district is used",
            shown.where(mismatch),
        )
    p.error(
        pd.Series((given < 0) & (owner < 0), index=out.index) & ~unknown,
        "district",
        "区市 不能为空（也无坐标可推算）",
        "district is empty and cannot be derived from coordinates",
    )
    return pd.Series(district_names[np.where(owner >= 0, owner, given)], index=out.index)
