"""公示名单: what a public notice of the classes shows, per class and district (issue 13, 5).

Within a district firms are listed by name (in character code order: no firm's rank is implied).

A notice names the rated firms (A–D) by class and district: 企业名称, 统一社会信用代码, 区市 and
the class. A firm's figures (taxes, revenue, score, rank) are confidential and appear only when
the publisher chooses so. A class changed after an objection is marked in the 备注 column, and
so is an objection under review. :mod:`files.notice` writes the lists as XLSX and DOCX.

Examples
--------
>>> result = pd.DataFrame({"name": ["乙", "甲", "丙"], "credit_code": ["2", "1", "3"],
...                        "district": ["城阳区", "城阳区", "黄岛区"], "class": ["A", "A", "D"],
...                        "status": ["rated"] * 3, "score": [120.0, 130.0, 40.0]})
>>> notice_table(result)[["序号", "类别", "区市", "企业名称"]].values.tolist()
[[1, 'A', '城阳区', '乙'], [2, 'A', '城阳区', '甲'], [1, 'D', '黄岛区', '丙']]
>>> notice_counts(result).loc["城阳区"].tolist()
[2, 0, 0, 0, 2]
"""

from __future__ import annotations

import pandas as pd

from analysis.land_yield.config import CLASS_INFO, INDICATORS

__all__ = ["NOTICE_CLASSES", "notice_counts", "notice_table", "notice_title"]

NOTICE_CLASSES = ("A", "B", "C", "D")
_CONFIDENTIAL = ("score", "rank", *INDICATORS)


def _headers(lang: str) -> dict[str, str]:
    zh = lang == "zh"
    headers = {
        "no": "序号" if zh else "no.", "class": "类别" if zh else "class",
        "class_name": "类别名称" if zh else "class name", "district": "区市" if zh else "district",
        "name": "企业名称" if zh else "name", "credit_code": "统一社会信用代码" if zh else "credit code",
        "score": "综合得分" if zh else "score", "rank": "排名" if zh else "rank",
        "note": "备注" if zh else "note",
    }  # fmt: skip
    headers.update({k: f"{v.zh}({v.unit})" if zh else f"{v.en} ({v.unit})" for k, v in INDICATORS.items()})
    return headers


def notice_table(result: pd.DataFrame, lang: str = "zh", confidential: bool = False) -> pd.DataFrame:
    """The notice's rows: rated firms by class, district and name, numbered within each class.

    Parameters
    ----------
    result : DataFrame
        An evaluation result (``class``, ``district``, ``name``, ``credit_code``; ``objection_zh`` /
        ``objection_en`` where objections were applied).
    lang : {"zh", "en"}
        Headers and class names.
    confidential : bool
        Add each firm's score, rank and indicators (亩均税收 万元/亩 …) — only when the publisher
        decides to publish them.
    """
    rated = result[result["class"].isin(NOTICE_CLASSES)]
    rated = rated.assign(district=rated["district"].fillna("").astype(str)).sort_values(
        ["class", "district", "name"], kind="stable"
    )
    key = "zh" if lang == "zh" else "en"
    out = pd.DataFrame({
        "no": rated.groupby("class").cumcount().to_numpy() + 1,
        "class": rated["class"].to_numpy(),
        "class_name": [CLASS_INFO[c][key].split("（")[0].split(" (")[0] for c in rated["class"]],
        "district": rated["district"].to_numpy(),
        "name": rated["name"].to_numpy(),
        "credit_code": rated["credit_code"].to_numpy(),
    })  # fmt: skip
    if confidential:
        for column in _CONFIDENTIAL:
            if column in rated.columns:
                out[column] = pd.to_numeric(rated[column], errors="coerce").round(2).to_numpy()
    note = f"objection_{lang}"
    out["note"] = rated[note].fillna("").to_numpy() if note in rated.columns else ""
    return out.rename(columns=_headers(lang))


def notice_counts(result: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Firms per district (rows) and class (A–D), with a total column and row (合计 / total)."""
    total = "合计" if lang == "zh" else "total"
    rated = result[result["class"].isin(NOTICE_CLASSES)]
    table = pd.crosstab(rated["district"].fillna("").astype(str), rated["class"])
    table = table.reindex(columns=list(NOTICE_CLASSES), fill_value=0)
    table[total] = table.sum(axis=1)
    table.loc[total] = table.sum(axis=0)
    return table.rename_axis("区市" if lang == "zh" else "district", axis=0).rename_axis(None, axis=1)


def notice_title(year: int, lang: str = "zh", synthetic: bool = False) -> str:
    """The notice's title (marked when the data are the synthetic sample).

    Examples
    --------
    >>> notice_title(2025)
    '2025 年度工业企业亩产效益评价结果公示名单'
    >>> notice_title(2025, "en", synthetic=True)
    'Industrial land-yield evaluation 2025: classes for public notice (synthetic sample data, not real firms)'
    """
    if lang == "zh":
        return f"{year} 年度工业企业亩产效益评价结果公示名单" + ("（合成样例数据，非真实企业）" if synthetic else "")
    tail = " (synthetic sample data, not real firms)" if synthetic else ""
    return f"Industrial land-yield evaluation {year}: classes for public notice{tail}"
