"""Workbooks for downloads and the command line: one sheet per table, cells XLSX can store."""

from __future__ import annotations

import errno
import gc
import io
import sys
import unicodedata

import pandas as pd
from lxml.etree import SerialisationError
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from geo.tables import neutralise_formulas

__all__ = ["xlsx_bytes"]


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
                    sheet.column_dimensions[sheet.cell(1, i).column_letter].width = _width(safe.iloc[:, i - 1], column)
    except OSError as exc:  # disk full: openpyxl streams every sheet through a temporary file
        failure = exc.with_traceback(None)
    except SerialisationError as exc:  # the same, said by lxml (openpyxl writes with it when it is installed)
        code = errno.EFBIG if "EFBIG" in str(exc) else errno.ENOSPC
        failure = OSError(code, f"{exc} ({errno.errorcode[code]})")
    if failure is not None:
        _collect_quietly()
        raise failure
    return buffer.getvalue()


def _text_width(text: str) -> int:
    """Display width of one line: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _width(values: pd.Series, header: object) -> float:
    """Column width from the header and the longest line of the first 500 cells, 8–60 characters."""
    # str() of each cell (pandas 3 keeps NaN as NaN in astype(str)); missing cells count as empty
    cells = ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in values.head(500).tolist()]
    lines = [str(header)] + [line for cell in cells for line in cell.split("\n")]
    return float(min(60, max(8, max(_text_width(line) for line in lines) + 2)))


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
