"""Result tables for people: Chinese (or English) headers with units, and summaries."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.land_yield.aggregate import AREA_COLUMNS
from analysis.land_yield.config import CLASS_INFO, INDICATORS
from analysis.land_yield.policy import policy_totals
from analysis.land_yield.schema import FIELDS
from analysis.land_yield.scoring import STATUS
from geo.text import clean_series, clean_text

__all__ = [
    "ORIGIN_PREFIX",
    "VERDICTS",
    "FirmFilter",
    "area_table",
    "class_counts",
    "class_overview",
    "class_summary",
    "concentration_table",
    "find_firms",
    "firm_profile",
    "policy_summary",
    "result_columns",
    "result_header",
    "results_table",
]

ORIGIN_PREFIX = "origin:"  # result columns "origin:<source>": a joined firm's row in each source
_RESULT_EXTRA = {
    "status": ("评价状态", "status"),
    "score": ("综合得分", "score"),
    "rank": ("排名", "rank"),
    "group_size": ("排名组企业数", "group size"),
    "class": ("类别", "class"),
    "class_name": ("类别名称", "class name"),
    "class_evaluated": ("评价类别（异议复核前）", "class as evaluated"),
    "objection": ("异议复核", "objection review"),
    "policy": ("政策导向", "policy"),
    "synthetic": ("数据性质", "data_nature"),
    "problems": ("问题", "problems"),
    "prev_class": ("上年类别", "previous class"),
    "class_change": ("类别变化", "class change"),
    "consecutive_d": ("连续D类年数", "years in a row rated D"),
    "policy_rule": ("差别化规则", "differentiated rule"),
    "diff_power_kwh": ("差别化电费(元)", "differentiated power (CNY)"),
    "diff_gas_m3": ("差别化气费(元)", "differentiated gas (CNY)"),
    "diff_water_t": ("差别化水费(元)", "differentiated water (CNY)"),
    "diff_total": ("差别化合计(元)", "differentiated total (CNY)"),
    "policy_note": ("差别化说明", "differentiated note"),
}
_AREA_HEADERS = {
    "n_firms": ("企业数", "firms"),
    "n_rated": ("参评企业数", "rated firms"),
    "suppressed": ("企业不足 3 家（数值不公开）", "suppressed (< 3 firms)"),
    "land_mu": ("用地面积(亩)", "land (mu)"),
    "tax": ("税收(万元)", "tax (10k CNY)"),
    "score_mean": ("平均综合得分", "mean score"),
    **{f"share_{c}": (f"{c} 类占比", f"share {c}") for c in "ABCD"},
}


def _indicator_header(ind_id: str, lang: str) -> str:
    ind = INDICATORS[ind_id]
    return f"{ind.zh}({ind.unit})" if lang == "zh" else f"{ind.en} ({ind.unit})"


def class_counts(result: pd.DataFrame) -> dict[str, int]:
    """Firms per class, "—" for firms not rated — what a saved run records and a reopened one is checked against.

    Examples
    --------
    >>> class_counts(pd.DataFrame({"class": ["A", "B", "A", ""]}))
    {'A': 2, 'B': 1, '—': 1}
    """
    counts = result["class"].replace("", "—").value_counts()
    return {str(k): int(v) for k, v in sorted(counts.items())}


def class_overview(result: pd.DataFrame, shares: dict[str, float], lang: str = "zh") -> pd.DataFrame:
    """The classes as evaluated: each one's band of the cohort ranking, firms in it and its policy use.

    Parameters
    ----------
    result : DataFrame
        Evaluated firms with a ``class`` column (A–D, T, "" when not rated).
    shares : dict
        Share of each cohort per class, best first (``ScoringConfig.shares``; 0–1, summing to 1).
    lang : {"zh", "en"}

    Examples
    --------
    >>> firms = pd.DataFrame({"class": ["A", "B", "B", "D", "T"]})
    >>> table = class_overview(firms, {"A": 0.2, "B": 0.4, "C": 0.35, "D": 0.05}, "en")
    >>> table[["class", "ranking band (approx.)", "firms"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['A', '0–20 %', 1], ['B', '20–60 %', 2], ['C', '60–95 %', 0], ['D', '95–100 %', 1], ['T', '—', 1]]
    """
    counts = result["class"].value_counts()
    rows, start = [], 0.0
    for cls, info in CLASS_INFO.items():
        band = "—"  # T: not rated; a class with a zero share takes no firm
        if cls in shares:
            end = start + shares[cls] * 100
            if shares[cls] > 0:
                band = f"{round(start, 2):g}–{round(end, 2):g} %"
            start = end
        name = info["zh"] if lang == "zh" else info["en"]
        policy = info["policy"] if lang == "zh" else info["policy_en"]
        rows.append((cls, name, band, int(counts.get(cls, 0)), policy))
    # 约: each cohort's counts are rounded (A down, D up), so a band holds about its share
    headers = ("类别", "名称", "组内名次区间（约）", "企业数", "政策导向") if lang == "zh" else \
        ("class", "name", "ranking band (approx.)", "firms", "policy")  # fmt: skip
    return pd.DataFrame(rows, columns=list(headers))


def result_header(column: str, lang: str = "zh") -> str:
    """The header :func:`results_table` gives a result column.

    Examples
    --------
    >>> result_header("score"), result_header("score", "en")
    ('综合得分', 'score')
    """
    zh, en = _RESULT_EXTRA[column]
    return zh if lang == "zh" else en


def _change_header(ind_id: str, lang: str) -> str:
    ind = INDICATORS[ind_id]
    return f"{ind.zh}较上年(%)" if lang == "zh" else f"{ind.en} vs previous year (%)"


def result_columns(headers: list[str]) -> dict[str, str]:
    """Headers of a result file written by :func:`results_table` (either language) → result column ids.

    Examples
    --------
    >>> result_columns(["统一社会信用代码", "类别", "单位用地税收(万元/亩)", "备注"])
    {'统一社会信用代码': 'credit_code', '类别': 'class', '单位用地税收(万元/亩)': 'tax_per_mu'}
    """
    known: dict[str, str] = {}
    for lang in ("zh", "en"):
        known.update({f.zh if lang == "zh" else f.en: f.id for f in FIELDS})
        known.update({_indicator_header(i, lang): i for i in INDICATORS})
        known.update({v[0] if lang == "zh" else v[1]: k for k, v in _RESULT_EXTRA.items()})
        known.update({_change_header(i, lang): f"change_{i}" for i in INDICATORS})
    return {h: known[h] for h in headers if h in known}


def results_table(result: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Per-firm results with user-facing headers (input fields, indicators, score, class, policy)."""
    origin = [c for c in result.columns if str(c).startswith(ORIGIN_PREFIX)]
    joined = bool(origin)  # several tables joined by credit code: _row numbers the firms
    row_header = ("企业序号", "firm no.") if joined else ("源文件行号", "source row")
    headers: dict[str, str] = {"_row": row_header[0] if lang == "zh" else row_header[1]}
    headers.update({f.id: (f.zh if lang == "zh" else f.en) for f in FIELDS})
    headers.update({i: _indicator_header(i, lang) for i in INDICATORS})
    headers.update({k: v[0] if lang == "zh" else v[1] for k, v in _RESULT_EXTRA.items()})
    headers.update({f"change_{i}": _change_header(i, lang) for i in INDICATORS})
    headers.update({c: f"{'来源行号：' if lang == 'zh' else 'row in '}{c[len(ORIGIN_PREFIX) :]}" for c in origin})
    if f"problems_{lang}" in result.columns:  # a firm's errors and warnings, in the page's language
        result = result.assign(problems=result[f"problems_{lang}"])
    if lang == "en" and "class_change_en" in result.columns:
        result = result.assign(class_change=result["class_change_en"])
    if f"objection_{lang}" in result.columns:  # the review's sentence, in the page's language
        result = result.assign(objection=result[f"objection_{lang}"])
    if f"policy_note_{lang}" in result.columns:
        result = result.assign(policy_note=result[f"policy_note_{lang}"])
    table = pd.DataFrame(result[[c for c in headers if c in result.columns]]).copy()
    table["status"] = table["status"].map(lambda s: STATUS[s][0 if lang == "zh" else 1])
    if lang == "en" and "class" in result.columns:
        table["class_name"] = result["class"].map(lambda c: CLASS_INFO[c]["en"] if c else "")
        table["policy"] = result["class"].map(lambda c: CLASS_INFO[c]["policy_en"] if c else "")
    return table.rename(columns=headers)


_POLICY_HEADERS = {
    "class": ("类别", "class"),
    "district": ("区市", "district"),
    "firms": ("企业数", "firms"),
    "diff_power_kwh": ("差别化电费(元)", "power (CNY)"),
    "diff_gas_m3": ("差别化气费(元)", "gas (CNY)"),
    "diff_water_t": ("差别化水费(元)", "water (CNY)"),
    "diff_total": ("差别化合计(元)", "total (CNY)"),
}


def policy_summary(result: pd.DataFrame, by: str, lang: str = "zh") -> pd.DataFrame:
    """Differentiated amounts (元) per class or district with user-facing headers (see :func:`policy_totals`)."""
    totals = policy_totals(result, by)
    return totals.rename(columns={k: v[0 if lang == "zh" else 1] for k, v in _POLICY_HEADERS.items()})


def area_table(areas: pd.DataFrame, name_column: str = "name", lang: str = "zh") -> pd.DataFrame:
    """Area figures (from :mod:`analysis.land_yield.aggregate`) with user-facing headers, geometry dropped."""
    headers = {k: v[0] if lang == "zh" else v[1] for k, v in _AREA_HEADERS.items()}
    headers.update({i: _indicator_header(i, lang) for i in INDICATORS})
    cols = [c for c in (name_column, *AREA_COLUMNS) if c in areas.columns]
    table = pd.DataFrame(areas[cols]).copy()
    for c in (f"share_{k}" for k in "ABCD"):
        table[c] = (table[c] * 100).round(1)
    return table.rename(columns={**headers, name_column: "名称" if lang == "zh" else "name"})


def class_summary(result: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Firms per class (A, B, C, D, T, — for out of scope), in total or per ``by`` (e.g. district)."""
    cls = result["class"].replace("", "—")
    order = ["A", "B", "C", "D", "T", "—"]
    if by is None:
        return cls.value_counts().reindex(order, fill_value=0).rename_axis("class").to_frame("n").T
    return pd.crosstab(result[by], cls).reindex(columns=order, fill_value=0)


@dataclass(frozen=True)
class FirmFilter:
    """Which firms to show: by district, class and scale (an empty selection keeps everything).

    One filter serves the table, the map's firm points and their counts alike.

    Examples
    --------
    >>> firms = pd.DataFrame({"district": ["城阳区", "黄岛区", "城阳区"], "class": ["A", "D", ""],
    ...                       "scale": ["规上", "规下", "规下"]})
    >>> FirmFilter(districts=("城阳区",)).mask(firms).tolist()
    [True, False, True]
    >>> FirmFilter(districts=("城阳区",), classes=("A", "D")).mask(firms).tolist()
    [True, False, False]
    >>> FirmFilter().active
    False
    """

    districts: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    scales: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        """Whether any selection is made."""
        return bool(self.districts or self.classes or self.scales)

    def mask(self, result: pd.DataFrame) -> pd.Series:
        """Boolean mask over the rows of an evaluation result (columns district, class, scale)."""
        keep = pd.Series(True, index=result.index)
        for column, chosen in (("district", self.districts), ("class", self.classes), ("scale", self.scales)):
            if chosen:
                keep &= result[column].isin(chosen)
        return keep


def find_firms(result: pd.DataFrame, query: str, limit: int = 20) -> pd.DataFrame:
    """Firms whose name contains ``query`` or whose 统一社会信用代码 starts with it, at most ``limit``.

    Both sides are normalised as the readers normalise (NFKC, no invisible or control characters)
    and compared without case, so a code typed in full-width characters or lower case is found.

    Examples
    --------
    >>> firms = pd.DataFrame({"name": ["青岛甲公司", "乙公司"], "credit_code": ["91370200ABC", "91370211XYZ"]})
    >>> find_firms(firms, "甲")["name"].tolist(), find_firms(firms, "９１３７０２１１")["name"].tolist()
    (['青岛甲公司'], ['乙公司'])
    >>> find_firms(firms, "  ").empty
    True
    """
    wanted = clean_text(query).strip().upper()
    if not wanted:
        return result.iloc[0:0]
    names = clean_series(result["name"].fillna("").astype(str)).str.upper()
    codes = clean_series(result["credit_code"].fillna("").astype(str)).str.upper()
    hit = names.str.contains(wanted, regex=False) | codes.str.startswith(wanted)
    return result[hit.to_numpy()].head(limit)


def firm_profile(firm: pd.Series, lang: str = "zh") -> pd.DataFrame:
    """One firm's indicators against the median of its cohort, with the points each earned.

    Rows are the indicators the firm was rated on (规下: 单位用地税收 only); columns: the
    indicator with its unit, the firm's value, the cohort median (the benchmark of its score) and
    the points.
    """
    zh = lang == "zh"
    rows = []
    for ind_id, ind in INDICATORS.items():
        median = firm.get(f"bench_{ind_id}")
        if median is None or pd.isna(median):
            continue
        rows.append({
            "指标" if zh else "indicator": f"{ind.zh if zh else ind.en}（{ind.unit}）",
            "本企业" if zh else "firm": firm.get(ind_id),
            "同组中位数" if zh else "cohort median": median,
            "得分" if zh else "points": firm.get(f"pts_{ind_id}"),
        })  # fmt: skip
    return pd.DataFrame(rows)


_CONCENTRATION_HEADERS = {
    "name": ("集聚区", "cluster"), "leading": ("主导产业（规划）", "leading industries (plan)"),
    "n_firms": ("企业数", "firms"), "revenue": ("营业收入(万元)", "revenue (10k CNY)"),
    "revenue_leading": ("主导产业营业收入(万元)", "revenue of leading industries (10k CNY)"),
    "share_pct": ("主导产业集聚度(%)", "leading-industry share (%)"),
    "share_max_pct": ("集聚度上限(%，行业不明计入)", "share if unknown counted (%)"),
    "target_pct": ("规划目标(%，五(六)2)", "plan target (%, 5(6)2)"), "verdict": ("是否达标", "verdict"),
    "n_unknown": ("行业不明企业数", "firms of unknown industry"),
    "n_no_revenue": ("缺营业收入企业数", "firms without revenue"),
    "tax_per_mu": ("亩均税收(万元/亩)", "tax per mu (10k CNY/mu)"), "year": ("年度", "year"),
}  # fmt: skip
VERDICTS = {
    "meets": ("达标（超过目标）", "meets (above the target)"), "below": ("未达标", "below the target"),
    "undetermined": ("待定（行业不明企业较多）", "undetermined (industry unknown)"),
    "": ("—（无营业收入数据）", "— (no revenue data)"),
}  # fmt: skip


def concentration_table(frame: pd.DataFrame, lang: str = "zh", viewer: bool = False) -> pd.DataFrame:
    """主导产业集聚度 per cluster (from :mod:`analysis.land_yield.concentration`) with user-facing headers.

    For a ``viewer`` the revenue columns are left out (a cluster's total less its leading industries'
    can be one firm's revenue) and clusters with fewer than 3 firms show no figures.
    """
    i = 0 if lang == "zh" else 1
    shown = frame.copy()
    if i == 1 and "name_en" in shown.columns:
        shown["name"], shown["leading"] = shown["name_en"], shown["leading_en"]
    for column in ("share_pct", "share_max_pct", "tax_per_mu"):
        shown[column] = shown[column].round(1)
    shown["revenue"] = shown["revenue"].round(0)
    shown["revenue_leading"] = shown["revenue_leading"].round(0)
    if viewer:
        shown = shown.drop(columns=["revenue", "revenue_leading"])
        figures = ["share_pct", "share_max_pct", "tax_per_mu", "verdict"]
        shown[figures] = shown[figures].astype(object).where(~shown["suppressed"], None)
    shown["verdict"] = shown["verdict"].map(lambda v: VERDICTS[v][i] if isinstance(v, str) else "—")
    columns = [c for c in _CONCENTRATION_HEADERS if c in shown.columns]
    return shown[columns].rename(columns={k: v[i] for k, v in _CONCENTRATION_HEADERS.items()})
