"""Write an evaluation's results to a file chosen by its suffix (.xlsx, .csv, .geojson), atomically."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from analysis.land_yield.pipeline import Evaluation, InputError, result_sheets
from analysis.land_yield.report import results_table
from files.xlsx import xlsx_bytes
from geo.atomic import atomic_path
from geo.io import GeoIOError
from geo.tables import neutralise_formulas

__all__ = ["write_results"]


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
