"""The enterprise table of the 亩产效益 evaluation: fields, units and accepted column headers.

Real tables arrive with many spellings of the same header (``用地面积(亩)``, ``用地面积（亩）``,
``占地面积``, ``land_mu``) and sometimes in other units (``用地面积(平方米)``, ``税收(元)``).
:func:`match_columns` maps each header to one field of :data:`FIELDS` and gives the factor that
converts its unit to the field's canonical unit, so that everything downstream works in 亩, 万元,
吨标准煤, 吨 and persons.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# How synthetic sample data is labelled, in the data itself and wherever it is shown.
SAMPLE_LABEL = "合成样例数据（非真实企业）"
SAMPLE_LABEL_EN = "Synthetic sample data (not real enterprises)"
SYNTHETIC_COLUMN = "数据性质"

__all__ = [
    "COORD_HINTS",
    "FIELDS",
    "ColumnMatch",
    "Field",
    "SchemaError",
    "coords_hint",
    "field",
    "header_label",
    "match_columns",
    "match_header",
    "unknown_headers",
]

M2_PER_MU = 10000.0 / 15.0


class SchemaError(ValueError):
    """The table cannot be read as an enterprise table (e.g. a required column is missing)."""


@dataclass(frozen=True)
class Field:
    """One column of the enterprise table.

    Attributes
    ----------
    id : str
        Canonical column name used in code and in exports (English, snake case).
    zh, en : str
        Header written in exports and shown in messages (Chinese header includes the unit).
    unit : str
        Canonical unit (``"亩"``, ``"万元"``, ``"吨标准煤"``, ``"吨"``, ``"人"``, ``"°"``) or ``""``.
    kind : {"text", "number", "integer"}
    required : bool
        Must be present in every table (规上-only requirements are checked row by row).
    aliases : tuple of str
        Other header spellings, compared after :func:`_fold` (case, width, spaces, brackets).
    units : tuple of (str, float)
        Other units accepted in the header's brackets with the factor to the canonical unit.
    """

    id: str
    zh: str
    en: str
    unit: str = ""
    kind: str = "number"
    required: bool = False
    aliases: tuple[str, ...] = ()
    units: tuple[tuple[str, float], ...] = ()


_MONEY = (("万元", 1.0), ("元", 1e-4), ("千元", 0.1), ("亿元", 1e4), ("万", 1.0), ("亿", 1e4), ("wan", 1.0))
_LAND = (("亩", 1.0), ("平方米", 1 / M2_PER_MU), ("m2", 1 / M2_PER_MU), ("㎡", 1 / M2_PER_MU), ("公顷", 15.0),
         ("ha", 15.0), ("mu", 1.0), ("平方公里", 1500.0), ("km2", 1500.0))  # fmt: skip
_ENERGY = (("吨标准煤", 1.0), ("吨标煤", 1.0), ("tce", 1.0), ("万吨标准煤", 1e4), ("千克标准煤", 1e-3), ("kgce", 1e-3))
_MASS = (("吨", 1.0), ("t", 1.0), ("千克", 1e-3), ("公斤", 1e-3), ("kg", 1e-3))
_PEOPLE = (("人", 1.0), ("persons", 1.0))
# Web-map coordinates say where they come from in the header: 经度(百度), 高德经度, gcj_lng …
COORD_HINTS = {"百度": "bd09", "baidu": "bd09", "bd09": "bd09", "bd": "bd09", "高德": "gcj02", "gcj02": "gcj02",
               "gcj": "gcj02", "火星": "gcj02", "腾讯": "gcj02", "wgs84": "wgs84", "gps": "wgs84"}  # fmt: skip
_DEGREES = (("°", 1.0), ("度", 1.0), *((k, 1.0) for k in COORD_HINTS))
_COORD_ALIASES = {
    axis: tuple(f"{prefix}{name}" for prefix in ("百度", "高德", "腾讯", "bd", "bd09", "gcj", "gcj02", "wgs84")
                for name in names)
    for axis, names in (("lon", ("经度", "lng", "lon")), ("lat", ("纬度", "lat")))
}  # fmt: skip

FIELDS: tuple[Field, ...] = (
    Field("name", "企业名称", "name", kind="text", required=True,
          aliases=("名称", "单位名称", "企业", "公司名称", "enterprise", "company", "firm")),
    Field("credit_code", "统一社会信用代码", "credit_code", kind="text",
          aliases=("信用代码", "社会信用代码", "uscc", "unified_social_credit_code", "credit code")),
    Field("industry_code", "行业代码", "industry_code", kind="text",
          aliases=("国民经济行业代码", "国民经济行业分类代码", "行业分类代码", "国标行业代码", "gbt4754", "nace")),
    Field("industry", "产业领域", "industry", kind="text",
          aliases=("所属产业", "产业", "行业", "行业名称", "所属行业", "plan_industry", "sector")),
    Field("district", "区市", "district", kind="text",
          aliases=("所在区市", "所属区市", "区县", "区(市)", "所在区县", "行政区", "county")),
    Field("scale", "规模", "scale", kind="text", required=True,
          aliases=("规上/规下", "规上规下", "是否规上", "企业规模", "规模类型", "above_scale", "size")),
    Field("land_mu", "用地面积(亩)", "land_mu", "亩", required=True,
          aliases=("用地面积", "占地面积", "用地", "土地面积", "实际用地面积", "land_area", "land"), units=_LAND),
    Field("tax", "税收(万元)", "tax_wan", "万元", required=True,
          aliases=("税收", "实缴税金", "税收实际贡献", "纳税", "实缴税收", "税金", "tax"), units=_MONEY),
    Field("revenue", "营业收入(万元)", "revenue_wan", "万元",
          aliases=("营业收入", "销售收入", "主营业务收入", "营收", "revenue", "sales"), units=_MONEY),
    Field("value_added", "工业增加值(万元)", "value_added_wan", "万元",
          aliases=("工业增加值", "增加值", "value_added", "gva"), units=_MONEY),
    Field("energy_tce", "综合能耗(吨标准煤)", "energy_tce", "吨标准煤",
          aliases=("综合能耗", "能耗", "综合能源消费量", "总能耗", "energy", "energy_use"), units=_ENERGY),
    Field("emissions_t", "主要污染物排放量(吨)", "emissions_t", "吨",
          aliases=("主要污染物排放量", "污染物排放量", "排放量", "emissions", "pollutant_emissions"), units=_MASS),
    Field("rd", "研发经费(万元)", "rd_wan", "万元",
          aliases=("研发经费", "研发经费支出", "r&d经费", "研发投入", "研发费用", "rd", "r&d", "rd_spend"),
          units=_MONEY),
    Field("power_kwh", "用电量(千瓦时)", "power_kwh", "千瓦时",
          aliases=("用电量", "用电", "年用电量", "电力消费量", "power", "electricity", "electricity_kwh"),
          units=(("kwh", 1.0), ("度", 1.0), ("万千瓦时", 1e4), ("万度", 1e4), ("mwh", 1e3))),
    Field("gas_m3", "用气量(立方米)", "gas_m3", "立方米",
          aliases=("用气量", "用气", "天然气用量", "管道燃气用量", "gas", "gas_use"),
          units=(("m3", 1.0), ("m³", 1.0), ("方", 1.0), ("万立方米", 1e4), ("万方", 1e4))),
    Field("water_t", "用水量(吨)", "water_t", "吨",
          aliases=("用水量", "用水", "年用水量", "water", "water_use"),
          units=(("t", 1.0), ("立方米", 1.0), ("m3", 1.0), ("万吨", 1e4), ("万立方米", 1e4))),
    Field("employees", "从业人员(人)", "employees", "人", kind="integer",
          aliases=("从业人员", "从业人员数", "年平均从业人员", "职工人数", "员工人数", "employees", "staff", "jobs"),
          units=_PEOPLE),
    Field("start_year", "投产年份", "start_year", kind="integer",
          aliases=("投产时间", "建成投产年份", "开业年份", "投产年度", "start_year", "opened")),
    Field("year", "年度", "year", kind="integer",
          aliases=("评价年度", "数据年度", "统计年度", "所属年度", "报告年度", "年份", "fiscal_year", "data_year")),
    Field("lon", "经度", "lon", "°", aliases=("longitude", "lng", "lon", "x", "东经", *_COORD_ALIASES["lon"]),
          units=_DEGREES),
    Field("lat", "纬度", "lat", "°", aliases=("latitude", "y", "北纬", *_COORD_ALIASES["lat"]), units=_DEGREES),
)  # fmt: skip

_BY_ID = {f.id: f for f in FIELDS}
_BRACKETS = re.compile(r"^(?P<base>.*?)\s*[(\[](?P<unit>[^()\[\]]*)[)\]]\s*$")


def coords_hint(matches: dict[str, ColumnMatch]) -> str | None:
    """The coordinate system the lon/lat headers name (``"bd09"``, ``"gcj02"``, ``"wgs84"``), if any."""
    for fid in ("lon", "lat"):
        if fid not in matches:
            continue
        folded = _fold(matches[fid].header)
        for key in sorted(COORD_HINTS, key=len, reverse=True):
            if _fold(key) in folded:
                return COORD_HINTS[key]
    return None


def field(field_id: str) -> Field:
    """The :class:`Field` with id ``field_id``."""
    return _BY_ID[field_id]


def header_label(field_id: str, lang: str = "zh") -> str:
    """The header of a field as shown to users (``"用地面积(亩)"`` or ``"land_mu"``)."""
    f = _BY_ID[field_id]
    return f.zh if lang == "zh" else f.en


def _fold(text: str) -> str:
    """Compare headers ignoring width (（）→()), case, spaces and underscores."""
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    text = text.replace("【", "[").replace("】", "]")
    return re.sub(r"[\s_\-·]+", "", text)


def _names(f: Field) -> set[str]:
    return {_fold(n) for n in (f.zh, f.en, f.id, *f.aliases)}


_LOOKUP: dict[str, str] = {name: f.id for f in FIELDS for name in _names(f)}
_LOOKUP.update({_fold(m["base"]): f.id for f in FIELDS if (m := _BRACKETS.match(f.zh)) is not None})


@dataclass(frozen=True)
class ColumnMatch:
    """How one header of the input maps to a field."""

    header: str
    field: str
    unit: str
    factor: float


def _split_unit(header: str) -> tuple[str, str]:
    folded = _fold(header)
    m = _BRACKETS.match(folded)
    if m and m["base"]:
        return m["base"], m["unit"]
    return folded, ""


def match_header(header: str) -> ColumnMatch | None:
    """The field a single header names, or ``None``; raises :class:`SchemaError` on an unknown unit."""
    folded = _fold(header)
    if folded in _LOOKUP:  # the whole header is a known spelling (maybe with its canonical unit)
        f = _BY_ID[_LOOKUP[folded]]
        return ColumnMatch(header, f.id, f.unit, 1.0)
    base, unit = _split_unit(header)
    if base not in _LOOKUP:
        return None
    f = _BY_ID[_LOOKUP[base]]
    if not unit or _fold(unit) == _fold(f.unit):
        return ColumnMatch(header, f.id, f.unit, 1.0)
    for name, factor in f.units:
        if _fold(name) == _fold(unit):
            return ColumnMatch(header, f.id, name, factor)
    accepted = "、".join(dict.fromkeys([f.unit, *(u for u, _ in f.units)]))
    raise SchemaError(
        f"列“{header}”的单位“{unit}”无法识别，可用单位：{accepted} / "
        f"column {header!r}: unknown unit {unit!r}; accepted units: {accepted}"
    )


def unknown_headers(headers: Iterable[str]) -> list[str]:
    """Headers that name no field (candidates for a header mapping); ``_row`` and 数据性质 are known.

    >>> unknown_headers(["企业名称", "纳税总额", "_row", "数据性质", "用地(亩)"])
    ['纳税总额']
    """
    unknown = []
    for header in headers:
        if str(header) in ("_row", SYNTHETIC_COLUMN, "data_nature", "synthetic"):
            continue
        try:
            known = match_header(str(header)) is not None
        except SchemaError:
            known = True  # a known header with an unknown unit: said when the table is read
        if not known:
            unknown.append(str(header))
    return unknown


def match_columns(headers: Iterable[str], optional: Iterable[str] = ()) -> dict[str, ColumnMatch]:
    """Map input headers to fields.

    Parameters
    ----------
    headers : iterable of str
        Column headers as read from the file, in Chinese or English, with or without units.

    Returns
    -------
    dict
        Field id → :class:`ColumnMatch` for every recognised header. Unrecognised headers are
        ignored (they are kept in the table untouched).
    optional : iterable of str
        Required fields that may be missing here (``land_mu`` when parcels give the area).

    Raises
    ------
    SchemaError
        If a header has an unknown unit, two headers map to the same field, or a required field
        is missing. The message names the header and lists the accepted spellings.

    Examples
    --------
    >>> m = match_columns(["企业名称", "规上/规下", "用地面积（平方米）", "税收(万元)"])
    >>> m["land_mu"].factor == 1 / 666.6666666666666
    True
    """
    matches: dict[str, ColumnMatch] = {}
    headers = [str(h) for h in headers]
    for header in headers:
        m = match_header(header)
        if m is None:
            continue
        if m.field in matches:
            other = matches[m.field].header
            raise SchemaError(
                f"列“{other}”和“{header}”都表示“{_BY_ID[m.field].zh}”，请删除其中一列 / "
                f"columns {other!r} and {header!r} both mean {_BY_ID[m.field].en!r}; keep one"
            )
        matches[m.field] = m
    optional = set(optional)
    missing = [f for f in FIELDS if f.required and f.id not in matches and f.id not in optional]
    if missing:
        parts = []
        for f in missing:
            close = difflib.get_close_matches(_fold(f.zh), [_fold(h) for h in headers], n=1, cutoff=0.5)
            hint = f"（是否为“{close[0]}”？）" if close else ""
            parts.append(f"{f.zh}{hint}")
        names = "、".join(parts)
        raise SchemaError(
            f"缺少必填列：{names}。可用列名示例：{'、'.join(f.zh for f in FIELDS if f.required)} / "
            f"missing required columns: {', '.join(f.en for f in missing)}"
        )
    return matches
