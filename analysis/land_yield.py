"""亩产效益 evaluation from a file to results: the pipeline shared by the UI and the CLI.

Command line::

    python -m analysis.land_yield --input firms.xlsx [--config my.toml] --out results.xlsx

``--out`` by extension: ``.xlsx`` (sheets 评价结果, 问题清单, 区市汇总, 集聚区汇总, 评价参数),
``.csv`` (results, UTF-8 with BOM) or ``.geojson`` (located firms, RFC 7946). A summary (firms
per class, per district) is printed; invalid input gives a one-line message and exit code 2.
"""

from __future__ import annotations

import argparse
import gc
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from analysis.aggregate import aggregate_zones
from analysis.config import ConfigError, ScoringConfig, load_config
from analysis.enterprises import COORD_SYSTEMS, EnterpriseTable, find_header_row, prepare_enterprises
from analysis.report import area_table, class_summary, results_table
from analysis.sample import SAMPLE_LABEL, SYNTHETIC_COLUMN
from analysis.schema import SchemaError
from analysis.scoring import evaluate
from geo.atomic import SameFileError, atomic_path, refuse_same_file
from geo.io import GeoIOError, check_input_size, read_vector, read_vector_bytes
from geo.sniff import VECTOR_FORMATS, sniff
from geo.tables import TableReadError, neutralise_formulas, read_table

__all__ = [
    "Evaluation",
    "InputError",
    "evaluate_table",
    "main",
    "read_enterprises",
    "result_sheets",
    "write_results",
    "xlsx_bytes",
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

    @property
    def issues(self) -> pd.DataFrame:
        return self.prepared.issues


def read_enterprises(source: str | Path | bytes, filename: str | None = None) -> pd.DataFrame:
    """Read an enterprise file (CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile) as a raw table.

    Raises
    ------
    InputError
        With the reader's message (Chinese and English).
    """
    name = filename or (Path(source).name if not isinstance(source, bytes) else "upload.csv")
    try:
        if isinstance(source, bytes):
            data = source
        else:
            check_input_size(Path(source).stat().st_size, name)
            data = Path(source).read_bytes()
        kind = sniff(data)
        if kind == "shp" and not isinstance(source, bytes):
            return read_vector(source)  # a .shp beside its sidecar files
        if kind in VECTOR_FORMATS:  # by content, never by name; the readers check that the name agrees
            return read_vector_bytes(data, name)
        return read_table(data, filename=name, find_header=find_header_row)
    except OSError as exc:
        raise InputError(f"无法读取文件 / cannot read {name}: {exc.strerror}") from exc
    except (TableReadError, GeoIOError) as exc:
        raise InputError(str(exc)) from exc


def evaluate_table(
    raw: pd.DataFrame,
    config: ScoringConfig,
    districts: gpd.GeoDataFrame | None = None,
    coords: str = "auto",
) -> Evaluation:
    """Validate ``raw`` and evaluate the valid rows (see :func:`analysis.scoring.evaluate`).

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


def _xlsx_text(value: object) -> object:
    """Text without the characters XLSX cannot store (control characters other than tab, CR, LF)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _xlsx_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and headers XLSX can store (formulas neutralised as well)."""
    out = neutralise_formulas(frame)
    out.columns = [_xlsx_text(c) for c in out.columns]
    for i in range(out.shape[1]):
        values = out.iloc[:, i]
        if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
            out.isetitem(i, values.map(_xlsx_text))
    return out


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook with one sheet per entry (frozen header row, sensible column widths).

    Text cells and headers lose the control characters XLSX cannot store (a firm name with
    ``\\x0b`` would otherwise abort the whole workbook); cells that would run as formulas get a
    leading apostrophe (:func:`geo.tables.neutralise_formulas`).
    """
    buffer = io.BytesIO()
    failure: OSError | None = None
    try:
        with pd.ExcelWriter(buffer, engine="openpyxl") as xl:
            for name, frame in sheets.items():
                title = str(_xlsx_text(name))[:31]
                safe = _xlsx_safe(frame)
                safe.to_excel(xl, sheet_name=title, index=False)
                sheet = xl.sheets[title]
                sheet.freeze_panes = "A2"
                for i, column in enumerate(safe.columns, start=1):
                    width = min(40, max(8, len(str(column)) * 2))
                    sheet.column_dimensions[sheet.cell(1, i).column_letter].width = width
    except OSError as exc:  # disk full: openpyxl streams every sheet through a temporary file
        failure = exc.with_traceback(None)
    if failure is not None:
        _collect_quietly()
        raise failure
    return buffer.getvalue()


def _collect_quietly() -> None:
    """Collect garbage without reporting errors of finalisers.

    When openpyxl cannot write a sheet's temporary file, it leaves the sheet's stream open; once
    garbage-collected, the stream reports the same error again as an "Exception ignored"
    traceback. Called after the error's traceback has been dropped, so that the stream is garbage.
    """
    previous = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = previous


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


def write_results(ev: Evaluation, out: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Write results by the suffix of ``out`` (.xlsx, .csv, .geojson).

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
                tmp.write_bytes(xlsx_bytes(result_sheets(ev, layers)))
            else:
                neutralise_formulas(results_table(ev.result)).to_csv(tmp, index=False, encoding="utf-8-sig")
    except OSError as exc:
        raise GeoIOError(f"无法写入 / cannot write {out}: {exc.strerror or exc}") from exc


def _summary(ev: Evaluation) -> str:
    counts = class_summary(ev.result)
    by_district = class_summary(ev.result, "district")
    lines = [
        f"输入 {ev.prepared.n_input} 行，有效 {len(ev.result)} 行，因错误排除 {ev.prepared.n_errors} 行 / "
        f"{ev.prepared.n_input} rows read, {len(ev.result)} valid, {ev.prepared.n_errors} left out",
        f"参数：{ev.config.title} / {ev.config.title_en}",
        "类别 / class: " + "  ".join(f"{c} {n}" for c, n in counts.iloc[0].items()),
        "",
        by_district.to_string(),
    ]
    lines.extend(f"注意 / note: {n}" for n in ev.config.notes)
    if ev.synthetic:
        lines.insert(0, f"注意：{SAMPLE_LABEL} / note: synthetic sample data, not real enterprises")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code (0 ok, 2 invalid input)."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.land_yield", description="亩产效益评价 / land-use efficiency evaluation"
    )
    parser.add_argument("--input", required=True, type=Path, help="企业表 .csv/.xlsx/.geojson/.gpkg")
    parser.add_argument("--config", type=Path, help="参数文件 TOML（默认：非官方默认参数）")
    parser.add_argument("--coords", choices=COORD_SYSTEMS, default="auto",
                        help="经纬度坐标系（默认 auto：按表头识别 百度/高德，否则 WGS84）")  # fmt: skip
    parser.add_argument("--out", required=True, type=Path, help="输出 .xlsx/.csv/.geojson")
    args = parser.parse_args(argv)
    from layers import load_layers

    try:
        config = load_config(args.config)
        if args.out.suffix.lower() not in (".xlsx", ".csv", ".geojson"):
            raise InputError("输出格式须为 .xlsx、.csv 或 .geojson / --out must end in .xlsx, .csv or .geojson")
        if not args.out.parent.is_dir():
            raise InputError(f"输出目录不存在 / output folder does not exist: {args.out.parent}")
        refuse_same_file(args.input, args.out)
        layers = load_layers(["districts", "clusters"])
        ev = evaluate_table(read_enterprises(args.input), config, layers["districts"], args.coords)
        write_results(ev, args.out, layers)
    except (InputError, ConfigError, GeoIOError, SameFileError, OSError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    print(_summary(ev))
    errors = ev.issues[ev.issues["severity"] == "error"]
    for message in errors["message_zh"].head(10):
        print(message, file=sys.stderr)
    if len(errors) > 10:
        print(f"… 另有 {len(errors) - 10} 条错误，见输出文件的“问题清单” / {len(errors) - 10} more", file=sys.stderr)
    print(f"→ {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
