"""Read an enterprise table from a path or uploaded bytes, by its content, into a raw table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.land_yield.enterprises import find_header_row
from analysis.land_yield.pipeline import InputError
from geo.io import GeoIOError, input_bytes, read_vector, read_vector_bytes
from geo.sniff import VECTOR_FORMATS, sniff
from geo.tables import TableReadError, read_table

__all__ = ["read_enterprises"]


def read_enterprises(source: str | Path | bytes, filename: str | None = None) -> pd.DataFrame:
    """Read an enterprise file (CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile) as a raw table.

    Raises
    ------
    InputError
        With the reader's message (Chinese and English).
    """
    name = filename or (Path(source).name if not isinstance(source, bytes) else "upload.csv")
    try:
        data = input_bytes(source, name)
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
