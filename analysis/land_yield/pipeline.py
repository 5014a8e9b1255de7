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
    result = evaluate(prepared.data, config)
    synthetic = _is_synthetic(raw)
    if synthetic:
        result["synthetic"] = SAMPLE_LABEL
    return Evaluation(prepared, result, config, synthetic)


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
