"""Relocation and low-efficiency candidates as tables and files (issue 13, 7 and 8).

:func:`relocation_table` and :func:`low_efficiency_table` give the firms with user-facing headers
(the plan's reasons rendered by :func:`i18n.render.render`); :func:`candidate_sheets` adds the
figures per district; :func:`candidates_bytes` writes an XLSX workbook or RFC 7946 GeoJSON points,
and :func:`write_candidates` the same to a file, atomically.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from analysis.land_yield.low_efficiency import CRITERIA, LowEfficiency, low_efficiency_summary
from analysis.land_yield.relocation import PRIORITIES, relocation_summary
from files.xlsx import xlsx_bytes
from geo.io import write_output
from geo.write import geojson_bytes
from i18n.render import render_all
from layers.plan import Plan

__all__ = [
    "CRITERION_NAMES",
    "PRIORITIES",
    "PRIORITY_NAMES",
    "candidate_sheets",
    "candidates_bytes",
    "low_efficiency_table",
    "relocation_table",
    "write_candidates",
]

PRIORITY_NAMES = {
    "required": ("必须入园（化工企业在化工园区外）", "Required (chemical firm outside the chemical parks)"),
    "guided": ("引导集聚（所在地规划未指向该产业）", "Guided (the plan does not place the industry here)"),
    "fits_here": ("可暂不搬迁（所在地仍符合规划）", "Lowest (its place still fits the plan)"),
}
CRITERION_NAMES = {
    "low_tax": ("亩均税收偏低", "Low tax per mu"), "d_years": ("连续 D 类", "D in a row"),
    "idle": ("有地无产出", "Idle land"),
}  # fmt: skip
_FIRM = {"name": ("企业名称", "name"), "credit_code": ("统一社会信用代码", "credit code"),
         "district": ("区市", "district"), "industry": ("产业领域", "industry"),
         "land_mu": ("用地面积(亩)", "land (mu)"), "class": ("类别", "class"),
         "tax_per_mu": ("亩均税收(万元/亩)", "tax per mu (10k CNY/mu)")}  # fmt: skip


def _firm_columns(result: pd.DataFrame, index: pd.Index, lang: str) -> pd.DataFrame:
    i = 0 if lang == "zh" else 1
    columns = [c for c in _FIRM if c in result.columns]
    firms = pd.DataFrame(result.loc[index, columns]).copy()
    for c in ("land_mu", "tax_per_mu"):
        if c in firms:
            firms[c] = pd.to_numeric(firms[c], errors="coerce").round(2)
    return firms.rename(columns={c: _FIRM[c][i] for c in columns})


def relocation_table(result: pd.DataFrame, candidates: pd.DataFrame, plan: Plan, lang: str = "zh") -> pd.DataFrame:
    """Relocation candidates for people: the firm, its plan industry, priority, where it is, where the plan sends it."""
    i = 0 if lang == "zh" else 1
    key = "zh" if lang == "zh" else "en"
    table = _firm_columns(result, candidates.index, lang)
    table["规划产业" if i == 0 else "plan industry"] = [
        plan.industry(x).name if i == 0 else plan.industry(x).name_en for x in candidates["industry_id"]]  # fmt: skip
    table["优先级" if i == 0 else "priority"] = candidates["priority"].map(lambda p: PRIORITY_NAMES[p][i])
    table["所在集聚区" if i == 0 else "cluster it is in"] = [c[key] if c else "—" for c in candidates["in_cluster"]]
    table["规划指向" if i == 0 else "where the plan sends it"] = [t[key] for t in candidates["targets"]]
    rendered: dict[tuple, str] = {}  # firms at the same kind of place share their words: rendered once
    for findings in candidates["findings"]:
        if tuple(findings) not in rendered:
            rendered[tuple(findings)] = "\n".join(render_all(findings, lang))
    table["依据" if i == 0 else "reasons"] = [rendered[tuple(f)] for f in candidates["findings"]]
    return table.reset_index(drop=True)


def low_efficiency_table(result: pd.DataFrame, found: LowEfficiency, lang: str = "zh") -> pd.DataFrame:
    """Low-efficiency candidates for people: the firm, the criteria met and why."""
    i = 0 if lang == "zh" else 1
    c = found.candidates
    table = _firm_columns(result, c.index, lang)
    join = "、" if i == 0 else ", "
    table["符合条件" if i == 0 else "criteria"] = [join.join(CRITERION_NAMES[x][i] for x in cs) for cs in c["criteria"]]
    table["说明" if i == 0 else "why"] = c["note_zh" if i == 0 else "note_en"].to_numpy()
    return table.reset_index(drop=True)


def _summary_headers(kinds: dict[str, tuple[str, str]], lang: str) -> dict[str, str]:
    i = 0 if lang == "zh" else 1
    headers = {"district": "区市" if i == 0 else "district"}
    for k, names in kinds.items():
        short = names[i].split("（")[0].split(" (")[0]
        headers[f"n_{k}"] = f"{short}·企业数" if i == 0 else f"{short}: firms"
        headers[f"mu_{k}"] = f"{short}·用地(亩)" if i == 0 else f"{short}: land (mu)"
    headers["n_total"], headers["mu_total"] = ("企业数合计", "用地合计(亩)") if i == 0 else ("firms", "land (mu)")
    return headers


def candidate_sheets(
    kind: str, result: pd.DataFrame, table: pd.DataFrame, candidates: pd.DataFrame, lang: str = "zh",
    notes: tuple[tuple[str, str], ...] = (),
) -> dict[str, pd.DataFrame]:  # fmt: skip
    """The workbook of ``kind`` (``relocation`` or ``low_efficiency``): the firms, per district, notes."""
    i = 0 if lang == "zh" else 1
    if kind == "relocation":
        summary = relocation_summary(candidates, result)
        headers = _summary_headers(PRIORITY_NAMES, lang)
        names = ("搬迁入园候选", "relocation candidates")
    else:
        summary = low_efficiency_summary(candidates, result)
        headers = _summary_headers({c: CRITERION_NAMES[c] for c in CRITERIA}, lang)
        names = ("低效用地候选", "low-efficiency land")
    per_district = summary.reset_index().rename(columns=headers).round(1)
    if i == 1:
        per_district.iloc[-1, 0] = "total"
    sheets = {names[i]: table, "按区市" if i == 0 else "by district": per_district}
    if notes:
        sheets["说明" if i == 0 else "notes"] = pd.DataFrame({"说明" if i == 0 else "note": [n[i] for n in notes]})
    return sheets


def candidates_bytes(suffix: str, sheets: dict[str, pd.DataFrame], result: gpd.GeoDataFrame,
                     index: pd.Index) -> bytes:  # fmt: skip
    """``.xlsx``: the sheets; ``.geojson``: the candidates as points (RFC 7946) with the first sheet's columns."""
    if suffix == ".xlsx":
        return xlsx_bytes(sheets)
    if suffix == ".geojson":
        first = next(iter(sheets.values()))
        points = gpd.GeoDataFrame(first, geometry=result.geometry.loc[index].to_numpy(), crs=result.crs)
        return geojson_bytes(points[points.geometry.notna() & ~points.geometry.is_empty])
    raise ValueError(f"候选清单须为 .xlsx 或 .geojson / candidates must be written as .xlsx or .geojson: {suffix}")


def write_candidates(out: Path, sheets: dict[str, pd.DataFrame], result: gpd.GeoDataFrame, index: pd.Index) -> None:
    """:func:`candidates_bytes` to ``out`` by its suffix, atomically (GeoIOError when it cannot be written)."""
    write_output(out, candidates_bytes(out.suffix.lower(), sheets, result, index))
