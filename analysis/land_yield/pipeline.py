"""亩产效益 evaluation of a table: validate, score, and the result sheets — shared by the UI and the CLI.

Pure: a raw table in (read by :func:`files.enterprises.read_enterprises`), an :class:`Evaluation`
out; :func:`result_sheets` gives the tables a workbook shows (written by :mod:`files.xlsx`). The
command line ``python -m analysis.land_yield`` is :mod:`cli.land_yield`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from analysis.land_yield.aggregate import aggregate_zones
from analysis.land_yield.config import ScoringConfig
from analysis.land_yield.enterprises import EnterpriseTable, prepare_enterprises
from analysis.land_yield.report import area_table, results_table
from analysis.land_yield.schema import SAMPLE_LABEL, SYNTHETIC_COLUMN, SchemaError
from analysis.land_yield.scoring import evaluate
from geo.tables import ROW_COLUMN

__all__ = ["Evaluation", "InputError", "evaluate_table", "result_sheets"]


class InputError(ValueError):
    """The input cannot be evaluated at all (unreadable file, missing column, bad configuration)."""


@dataclass
class Evaluation:
    """Prepared input, validation report and results of one evaluation run."""

    prepared: EnterpriseTable
    result: gpd.GeoDataFrame
    config: ScoringConfig
    synthetic: bool = False

    @property
    def issues(self) -> pd.DataFrame:
        return self.prepared.issues

    def accounting(self) -> dict[str, int]:
        """Every input row accounted for: ``input`` = the sum of the other counts (issue 13, 1).

        ``rated`` (classes A–D), ``new`` (class T), ``out_of_scope`` (by the scope rules), ``errors``
        (data errors, not rated) and ``merged`` (rows merged into another firm's; none for one table).
        """
        status = self.result["status"]
        counts = {
            "input": self.prepared.n_input,
            "rated": int((status == "rated").sum()),
            "new": int((status == "new").sum()),
            "out_of_scope": int(status.str.startswith("excluded").sum()),
            "errors": int((status == "data_error").sum()),
            "merged": 0,
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
) -> Evaluation:
    """Validate ``raw`` and evaluate the valid rows (see :func:`analysis.land_yield.scoring.evaluate`).

    Raises
    ------
    InputError
        A required column is missing or a header has an unknown unit.
    """
    if len(raw) == 0:
        raise InputError("表格只有表头，没有数据行 / the table has a header but no data rows")
    try:
        prepared = prepare_enterprises(raw, districts, coords=coords, evaluation_year=config.evaluation_year)
    except SchemaError as exc:
        raise InputError(str(exc)) from exc
    result = _with_rejected(evaluate(prepared.data, config), prepared)
    synthetic = _is_synthetic(raw)
    if synthetic:
        result["synthetic"] = SAMPLE_LABEL
    return Evaluation(prepared, result, config, synthetic)


def _with_rejected(result: gpd.GeoDataFrame, prepared: EnterpriseTable) -> gpd.GeoDataFrame:
    """The evaluated firms and the rows with data errors, in the order of the input.

    A rejected row keeps what was read, gets status ``data_error``, no class and no score, and its
    errors (which fields, why) in ``problems_zh`` / ``problems_en``; every other row's warnings are
    there too, so that nothing said about a firm lives only in the issue list.
    """
    issues = prepared.issues[prepared.issues["row"] > 0]
    own = {"zh": r"^第 \d+ (?:行|个要素)：", "en": r"^(?:row|feature) \d+: "}  # the row is the firm's own
    problems = {lang: issues[f"message_{lang}"].str.replace(own[lang], "", regex=True).groupby(issues["row"])
                .agg("；".join if lang == "zh" else "; ".join) for lang in ("zh", "en")}  # fmt: skip
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


def result_sheets(ev: Evaluation, layers: dict[str, gpd.GeoDataFrame], lang: str = "zh") -> dict[str, pd.DataFrame]:
    """Workbook sheets: results, issues, district and cluster figures, parameters."""
    sheets = {"评价结果": results_table(ev.result, lang)}
    issues = ev.issues.rename(columns={"row": "行号", "column": "列", "severity": "级别", "message_zh": "说明",
                                       "message_en": "message"})  # fmt: skip
    sheets["问题清单"] = issues
    if "districts" in layers:
        sheets["区市汇总"] = area_table(aggregate_zones(ev.result, layers["districts"], "adcode"), lang=lang)
    if "clusters" in layers:
        sheets["集聚区汇总"] = area_table(aggregate_zones(ev.result, layers["clusters"], "id"), lang=lang)
    sheets["评价参数"] = pd.DataFrame({"参数 / parameters (TOML)": ev.config.to_toml().splitlines()})
    return sheets
