"""Results of an evaluation: written by suffix (.xlsx, .csv, .geojson), atomically; an earlier year's read back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from analysis.land_yield.config import ConfigError, ScoringConfig, load_config
from analysis.land_yield.pipeline import Evaluation, InputError, result_sheets
from analysis.land_yield.report import result_columns, results_table
from files.xlsx import xlsx_bytes
from geo.atomic import atomic_path
from geo.io import GeoIOError, input_bytes
from geo.sniff import sniff
from geo.tables import TableReadError, neutralise_formulas, read_table
from layers.plan import Plan

__all__ = ["PreviousResult", "read_result", "write_results"]

_RESULT_SHEETS = ("评价结果", "results")
_PARAMETER_SHEETS = ("评价参数", "parameters")
_NUMBERS = ("score", "rank", "group_size", "consecutive_d", "land_mu", "tax", "revenue", "tax_per_mu",
            "revenue_per_energy", "revenue_per_emission", "rd_intensity", "labour_productivity")  # fmt: skip
_CLASSES = {"A", "B", "C", "D", "T", ""}


def write_results(ev: Evaluation, out: Path, layers: dict[str, gpd.GeoDataFrame], plan: Plan | None = None) -> None:
    """Write results by the suffix of ``out`` (.xlsx, .csv, .geojson); the workbook has 主导产业集聚度 with ``plan``.

    The file is replaced only when it has been written completely (:func:`geo.atomic.atomic_path`):
    after a failure (disk full …) a previous ``out`` is unchanged and no partial file is left.

    Raises
    ------
    InputError
        Unknown suffix.
    GeoIOError
        The file cannot be written (bilingual message naming ``out``).
    """
    suffix = out.suffix.lower()
    if suffix == ".geojson":
        from geo.write import write_geojson  # atomic as well

        write_geojson(ev.result[~ev.result.geometry.is_empty & ev.result.geometry.notna()], out)
        return
    if suffix not in (".xlsx", ".csv"):
        raise InputError(f"输出格式须为 .xlsx、.csv 或 .geojson / --out must end in .xlsx, .csv or .geojson: {out}")
    try:
        with atomic_path(out) as tmp:
            if suffix == ".xlsx":
                tmp.write_bytes(xlsx_bytes(result_sheets(ev, layers, plan=plan)))
            else:
                neutralise_formulas(results_table(ev.result)).to_csv(tmp, index=False, encoding="utf-8-sig")
    except OSError as exc:
        raise GeoIOError(f"无法写入 / cannot write {out}: {exc.strerror or exc}") from exc


@dataclass(frozen=True)
class PreviousResult:
    """An earlier year's result as read back: firms, the parameters it was made with, its year."""

    firms: pd.DataFrame
    config: ScoringConfig | None
    year: int | None


def _not_a_result(name: str, why: str) -> InputError:
    return InputError(f"“{name}”不是亩产效益评价结果文件（{why}）；请给出本程序输出的 .xlsx 或 .csv / {name!r} is "
                      f"not a result of this program ({why}); give an .xlsx or .csv it wrote")  # fmt: skip


def _sheet(data: bytes, name: str, sheets: tuple[str, ...]) -> pd.DataFrame | None:
    for sheet in sheets:
        try:
            return read_table(data, filename=name, sheet=sheet)
        except TableReadError:
            continue
    return None


def read_result(source: Path | bytes, filename: str | None = None) -> PreviousResult:
    """Read a result file written by :func:`write_results` (or a page download) as an earlier year.

    The file is opened by its content (XLSX or CSV), within the readers' limits. An XLSX carries
    its parameters (sheet 评价参数), so that a comparison can say whether both years were scored
    alike; a CSV does not.

    Raises
    ------
    InputError
        The file cannot be read, or it is not a result (no 统一社会信用代码 or 类别 column, classes
        other than A–D and T).
    """
    name = filename or (Path(source).name if not isinstance(source, bytes) else "previous")
    try:
        data = input_bytes(source, name)
        kind = sniff(data)
        if kind == "xlsx":
            table = _sheet(data, name, _RESULT_SHEETS)
            params = _sheet(data, name, _PARAMETER_SHEETS)
        elif kind == "csv":
            table, params = read_table(data, filename=name), None
        else:
            raise _not_a_result(name, f"format {kind}")
    except OSError as exc:
        raise InputError(f"无法读取文件 / cannot read {name}: {exc.strerror}") from exc
    except (TableReadError, GeoIOError) as exc:
        raise InputError(str(exc)) from exc
    if table is None:
        raise _not_a_result(name, "no sheet 评价结果")
    columns = result_columns([str(c) for c in table.columns])
    missing = {"credit_code", "class"} - set(columns.values())
    if missing:
        raise _not_a_result(name, f"missing {', '.join(sorted(missing))}")
    twice = sorted({c for c in columns.values() if list(columns.values()).count(c) > 1})
    if twice:  # 类别 and class both: which one is meant cannot be told
        raise _not_a_result(name, f"two columns for {', '.join(twice)}")
    firms = table.rename(columns=columns)[list(columns.values())].copy()
    if "name" not in firms:
        firms["name"] = ""
    for column in _NUMBERS:
        if column in firms:
            firms[column] = pd.to_numeric(firms[column].replace("", None), errors="coerce")
    firms["class"] = firms["class"].fillna("").astype(str).str.strip().str.upper()
    odd = sorted(set(firms["class"]) - _CLASSES)
    if odd:
        raise _not_a_result(name, f"classes {odd}")
    config = None
    if params is not None and len(params.columns) > 1:
        text = "\n".join(params.iloc[:, 0].astype(str))
        try:
            config = load_config(text.encode("utf-8"))
        except ConfigError:
            config = None
    year = config.evaluation_year if config is not None else None
    if year is None and "year" in firms:
        years = pd.to_numeric(firms["year"], errors="coerce").dropna()
        year = int(years.mode().iloc[0]) if len(years) else None
    return PreviousResult(firms, config, year)
