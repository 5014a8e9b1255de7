"""亩产效益 evaluation of a table: validate, score, and the result sheets — shared by the UI and the CLI.

Pure: a raw table in (read by :func:`files.enterprises.read_enterprises`), an :class:`Evaluation`
out; :func:`result_sheets` gives the tables a workbook shows (written by :mod:`files.xlsx`). The
command line ``python -m analysis.land_yield`` is :mod:`cli.land_yield`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from analysis.land_yield.aggregate import aggregate_zones
from analysis.land_yield.concentration import cluster_concentration
from analysis.land_yield.config import ScoringConfig
from analysis.land_yield.enterprises import EnterpriseTable, prepare_enterprises
from analysis.land_yield.history import CHANGE_COLUMNS, class_changes, config_differences, transition_matrix
from analysis.land_yield.issues import join_per_group
from analysis.land_yield.objections import Objection, apply_objections, register_table
from analysis.land_yield.policy import POLICY_COLUMNS, Policy, apply_policy
from analysis.land_yield.report import ORIGIN_PREFIX, area_table, concentration_table, policy_summary, results_table
from analysis.land_yield.schema import SAMPLE_LABEL, SYNTHETIC_COLUMN, SchemaError, header_label
from analysis.land_yield.scoring import evaluate
from analysis.land_yield.sources import JOIN_ROW_LABEL, Joined, Source, apply_header_map, join_sources
from geo.tables import ROW_COLUMN
from layers.plan import Plan

__all__ = [
    "Evaluation",
    "InputError",
    "Source",
    "YearOnYear",
    "apply_objections_to",
    "apply_policy_to",
    "compare_previous",
    "evaluate_sources",
    "evaluate_table",
    "join_sheets",
    "result_sheets",
]


class InputError(ValueError):
    """The input cannot be evaluated at all (unreadable file, missing column, bad configuration)."""


@dataclass
class Evaluation:
    """Prepared input, validation report and results of one evaluation run."""

    prepared: EnterpriseTable
    result: gpd.GeoDataFrame
    config: ScoringConfig
    synthetic: bool = False
    joined: Joined | None = None  # several tables joined by credit code: what the join did
    previous: YearOnYear | None = None  # compared with an earlier year's result
    policy: Policy | None = None  # differentiated prices applied (diff_* columns)
    objections: tuple[Objection, ...] = ()  # the objection register applied (class after review)
    objection_warnings: tuple[tuple[str, str], ...] = ()  # entries not applied (Chinese, English)

    @property
    def issues(self) -> pd.DataFrame:
        return self.prepared.issues

    def accounting(self) -> dict[str, int]:
        """Every input row accounted for: ``input`` = the sum of the other counts (issue 13, 1).

        ``rated`` (classes A–D), ``new`` (class T), ``out_of_scope`` (by the scope rules), ``errors``
        (data errors, not rated) and ``merged`` (rows merged into another firm's: rows of joined
        tables with a code already seen, parcels of one firm; none for one table).
        """
        by_status = self.result["status"].value_counts()  # one pass; statuses are few (50,000 firms: 5 ms)
        counts = {
            "input": self.joined.n_input if self.joined else self.prepared.n_input,
            "rated": int(by_status.get("rated", 0)),
            "new": int(by_status.get("new", 0)),
            "out_of_scope": int(sum(n for s, n in by_status.items() if str(s).startswith("excluded"))),
            "errors": int(by_status.get("data_error", 0)),
            "merged": self.joined.merged if self.joined else 0,
        }
        listed = sum(v for k, v in counts.items() if k != "input")
        if listed != counts["input"]:  # a bug, not bad input: the numbers must reconcile
            raise AssertionError(f"{listed} rows accounted for, {counts['input']} read")
        return counts


def evaluate_table(
    raw: pd.DataFrame,
    config: ScoringConfig,
    districts: gpd.GeoDataFrame | None = None,
    coords: str = "auto",
    joined: Joined | None = None,
) -> Evaluation:
    """Validate ``raw`` and evaluate the valid rows (see :func:`analysis.land_yield.scoring.evaluate`).

    ``joined`` is given by :func:`evaluate_sources` when ``raw`` is several tables joined.

    Raises
    ------
    InputError
        A required column is missing or a header has an unknown unit.
    """
    if len(raw) == 0:
        raise InputError("表格只有表头，没有数据行 / the table has a header but no data rows")
    try:
        prepared = prepare_enterprises(raw, districts, coords=coords, evaluation_year=config.evaluation_year,
                                       row_label=JOIN_ROW_LABEL if joined else None,
                                       clean=joined is not None)  # fmt: skip
    except SchemaError as exc:
        raise InputError(str(exc)) from exc
    if joined is not None:  # what the join said about each firm goes with the firm's own problems
        both = pd.concat([joined.issues, prepared.issues], ignore_index=True)
        prepared.issues = both.sort_values("row", kind="stable").reset_index(drop=True)
    result = _with_rejected(evaluate(prepared.data, config), prepared)
    if joined is not None:
        rows = joined.origin.reindex(result[ROW_COLUMN].to_numpy())
        for name in joined.origin.columns:  # the firm's row in each source (<NA>: not there)
            result[f"{ORIGIN_PREFIX}{name}"] = rows[name].to_numpy()
    synthetic = _is_synthetic(raw)
    if synthetic:
        result["synthetic"] = SAMPLE_LABEL
    return Evaluation(prepared, result, config, synthetic, joined)


def evaluate_sources(
    sources: Sequence[Source],
    config: ScoringConfig,
    districts: gpd.GeoDataFrame | None = None,
    prefer: Mapping[str, str] | None = None,
) -> Evaluation:
    """Join several departments' tables by 统一社会信用代码 and evaluate the firms (issue 13, 2).

    One source is evaluated as :func:`evaluate_table` does (no code column needed). With several,
    :func:`analysis.land_yield.sources.join_sources` makes one row per firm; its messages (conflicts,
    duplicates, codes found in one source only) join the firm's own problems, and the result gains
    a column ``origin:<source>`` per source (the firm's row there).

    Raises
    ------
    InputError
        A source cannot be joined or evaluated (no code column, another year, unknown unit …).
    """
    try:
        if len(sources) == 1:  # one table: no code column needed, duplicate codes are errors as always
            only = sources[0]
            return evaluate_table(apply_header_map(only.table, only.header_map), config, districts, only.coords)
        joined = join_sources(sources, config.evaluation_year, prefer)
    except SchemaError as exc:
        raise InputError(str(exc)) from exc
    ev = evaluate_table(joined.table, config, districts, "wgs84", joined=joined)
    ev.synthetic = any(_is_synthetic(s.table) for s in sources)
    if ev.synthetic:
        ev.result["synthetic"] = SAMPLE_LABEL
    return ev


@dataclass(frozen=True)
class YearOnYear:
    """What comparing with an earlier result found (issue 13, 3).

    Attributes
    ----------
    year : int or None
        The earlier result's evaluation year (from its parameters or its 年度 column).
    matrix : DataFrame
        Firms by the earlier class (rows) and this year's (columns), firms new and gone included.
    warnings : tuple of (str, str)
        Chinese and English: parameters that differ (the year aside), an earlier result without
        parameters, a year that is not earlier.
    """

    year: int | None
    matrix: pd.DataFrame
    warnings: tuple[tuple[str, str], ...]
    matrix_en: pd.DataFrame | None = None  # the same with English labels

    def transitions(self, lang: str = "zh") -> pd.DataFrame:
        """The transition matrix labelled in ``lang``."""
        return self.matrix_en if lang == "en" and self.matrix_en is not None else self.matrix


def compare_previous(
    ev: Evaluation, previous: pd.DataFrame, previous_config: ScoringConfig | None, previous_year: int | None = None
) -> Evaluation:
    """``ev`` with the earlier result compared: 上年类别, 类别变化, 连续D类年数 and indicator changes added.

    ``previous`` is a result (``credit_code``, ``name``, ``class``, indicators; ``consecutive_d`` if it
    was itself compared). Firms are matched by credit code (by name where there is none).
    """
    warnings: list[tuple[str, str]] = []
    year = (
        previous_year if previous_year is not None else (previous_config.evaluation_year if previous_config else None)
    )
    if previous_config is None:
        warnings.append(("上年结果未附评价参数，无法核对两年是否按相同的权重和比例评价",
                         "the earlier result carries no parameters: whether both years were scored alike cannot be "
                         "checked"))  # fmt: skip
    else:
        for name, before, now in config_differences(previous_config, ev.config):
            warnings.append((f"参数“{name}”与上年不同（上年 {before}，本年 {now}），类别变化可能由此引起",
                             f"parameter {name!r} differs from the earlier result ({before} → {now}); class changes "
                             "may come from it"))  # fmt: skip
    if year is not None and year >= ev.config.evaluation_year:
        warnings.append((f"上年结果的年度 {year} 不早于本次评价年度 {ev.config.evaluation_year}",
                         f"the earlier result's year {year} is not before this evaluation's "
                         f"{ev.config.evaluation_year}"))  # fmt: skip
    consecutive = year is None or year == ev.config.evaluation_year - 1
    if not consecutive:
        warnings.append((f"上年结果为 {year} 年，不是 {ev.config.evaluation_year - 1} 年：连续D类年数从本年重新计算",
                         f"the earlier result is for {year}, not {ev.config.evaluation_year - 1}: years in a row "
                         "rated D are counted from this year"))  # fmt: skip
    changes = class_changes(ev.result, previous, consecutive=consecutive)
    changes["class_change_en"] = class_changes(ev.result, previous, "en", consecutive)["class_change"]
    result = ev.result.drop(columns=[c for c in CHANGE_COLUMNS if c in ev.result.columns]).join(changes)
    matrix, matrix_en = transition_matrix(ev.result, previous), transition_matrix(ev.result, previous, "en")
    return dataclasses.replace(ev, result=result, previous=YearOnYear(year, matrix, tuple(warnings), matrix_en))


def apply_objections_to(ev: Evaluation, register: Sequence[Objection]) -> Evaluation:
    """``ev`` with the decisions of the objection register in force (issue 13, 5).

    Applied before the comparison with an earlier year and the policy, so that 类别变化, D years in a
    row and differentiated prices follow the class after review.
    """
    result, warnings = apply_objections(ev.result, register)
    return dataclasses.replace(ev, result=result, objections=tuple(register), objection_warnings=tuple(warnings))


def apply_policy_to(ev: Evaluation, policy: Policy) -> Evaluation:
    """``ev`` with the policy applied: per firm the rule and the amounts (元) in ``diff_*`` columns (issue 13, 4)."""
    result = ev.result.drop(columns=[c for c in POLICY_COLUMNS if c in ev.result.columns])
    return dataclasses.replace(ev, result=result.join(apply_policy(result, policy)), policy=policy)


def _with_rejected(result: gpd.GeoDataFrame, prepared: EnterpriseTable) -> gpd.GeoDataFrame:
    """The evaluated firms and the rows with data errors, in the order of the input.

    A rejected row keeps what was read, gets status ``data_error``, no class and no score, and its
    errors (which fields, why) in ``problems_zh`` / ``problems_en``; every other row's warnings are
    there too, so that nothing said about a firm lives only in the issue list.
    """
    issues = prepared.issues[prepared.issues["row"] > 0]  # the firm's own row: its messages without the row
    problems = {lang: join_per_group(issues["row"].to_numpy(), issues[f"body_{lang}"], "；" if lang == "zh" else "; ")
                for lang in ("zh", "en")}  # fmt: skip
    rejected = prepared.rejected
    if rejected is not None and len(rejected):
        rejected = rejected.assign(status="data_error", **{"class": ""})
        result = pd.concat([result, rejected], ignore_index=True)
        result = gpd.GeoDataFrame(result, geometry="geometry", crs=prepared.data.crs)
    result = result.sort_values(ROW_COLUMN, kind="stable").reset_index(drop=True)
    for lang, text in problems.items():
        result[f"problems_{lang}"] = result[ROW_COLUMN].map(text).astype(object).fillna("")
    return result


def _is_synthetic(raw: pd.DataFrame) -> bool:
    """True when the table carries the sample label (column 数据性质 / data_nature)."""
    for column in (SYNTHETIC_COLUMN, "data_nature", "synthetic"):
        if column in raw.columns and raw[column].astype(str).str.contains("合成|synthetic", case=False).any():
            return True
    return False


def result_sheets(
    ev: Evaluation, layers: dict[str, gpd.GeoDataFrame], lang: str = "zh", plan: Plan | None = None
) -> dict[str, pd.DataFrame]:
    """Workbook sheets: results, issues, district and cluster figures, parameters.

    With the ``plan`` and the cluster layer, 主导产业集聚度 per cluster against the plan's target.
    """
    sheets = {"评价结果": results_table(ev.result, lang)}
    issues = ev.issues.drop(columns=["body_zh", "body_en"], errors="ignore")
    issues = issues.rename(columns={"row": "行号", "column": "列", "severity": "级别", "message_zh": "说明",
                                    "message_en": "message"})  # fmt: skip
    sheets["问题清单"] = issues
    if "districts" in layers:
        sheets["区市汇总"] = area_table(aggregate_zones(ev.result, layers["districts"], "adcode"), lang=lang)
    if "clusters" in layers:
        sheets["集聚区汇总"] = area_table(aggregate_zones(ev.result, layers["clusters"], "id"), lang=lang)
        if plan is not None:
            table = concentration_table(cluster_concentration(ev.result, layers["clusters"], plan), lang)
            sheets["主导产业集聚度" if lang == "zh" else "leading-industry share"] = table
    if ev.joined is not None:
        sheets.update(join_sheets(ev.joined, lang))
    if ev.previous is not None:
        sheets["类别变化矩阵" if lang == "zh" else "class transitions"] = ev.previous.transitions(lang).reset_index()
        if ev.previous.warnings:
            sheets["与上年比较说明" if lang == "zh" else "comparison notes"] = pd.DataFrame(
                {"说明" if lang == "zh" else "note": [w[0 if lang == "zh" else 1] for w in ev.previous.warnings]}
            )
    if ev.objections:
        sheets["异议登记" if lang == "zh" else "objections"] = register_table(ev.objections, lang)
    if ev.objection_warnings:
        sheets["异议未应用" if lang == "zh" else "objections not applied"] = pd.DataFrame(
            {"说明" if lang == "zh" else "note": [w[0 if lang == "zh" else 1] for w in ev.objection_warnings]}
        )
    if ev.policy is not None:
        label = ev.policy.title if lang == "zh" else ev.policy.title_en
        for by, zh, en in (("class", "差别化汇总（类别）", "differentiated by class"),
                           ("district", "差别化汇总（区市）", "differentiated by district")):  # fmt: skip
            totals = policy_summary(ev.result, by, lang)
            sheets[zh if lang == "zh" else en] = totals.assign(**{"政策参数" if lang == "zh" else "policy": label})
    sheets["评价参数"] = pd.DataFrame({"参数 / parameters (TOML)": ev.config.to_toml().splitlines()})
    return sheets


_JOIN_HEADERS = {
    "source": ("来源", "source"), "rows": ("行数", "rows"), "firms": ("企业数", "firms"),
    "only_here": ("仅见于此来源的企业", "firms found only here"), "missing": ("此来源缺少的企业", "firms missing here"),
    "no_code": ("无代码行", "rows without a code"),
    "duplicate_rows": ("重复代码行（已并入）", "duplicate rows (merged)"),
    "parcels": ("地块表（面积相加）", "parcels (areas added)"), "fields": ("提供字段", "fields"),
    "row": ("企业序号", "firm no."), "credit_code": ("统一社会信用代码", "credit code"), "field": ("字段", "field"),
    "value": ("该来源的值", "value there"), "winner": ("采用来源", "source used"),
    "winner_value": ("采用的值", "value used"), "source_row": ("来源行号", "source row"), "name": ("企业名称", "name"),
}  # fmt: skip


def join_sheets(joined: Joined, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The join report as sheets: per source, conflicting values, codes found in one source only."""
    i = 0 if lang == "zh" else 1
    headers = {k: v[i] for k, v in _JOIN_HEADERS.items()}
    conflicts = joined.conflicts.assign(field=joined.conflicts["field"].map(lambda f: header_label(f, lang)))
    return {
        "数据来源" if i == 0 else "sources": joined.sources.rename(columns=headers),
        "来源冲突" if i == 0 else "conflicts": conflicts.rename(columns=headers),
        "未匹配代码" if i == 0 else "unmatched": joined.unmatched.rename(columns=headers),
    }
