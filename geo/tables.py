"""Read the tables users really have: CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, and XLSX.

Every cell is read as text so that validation can report ``"1,2O0"`` as not a number on its
row instead of pandas guessing a type for the whole column. The header row is found by the
caller's ``find_header`` (Chinese spreadsheets often carry a title line above the header), and
every data row keeps its row number in the file (column ``_row``, 1-based as Excel shows it).
Failures raise :class:`TableReadError` with a message in Chinese and English.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

__all__ = [
    "ENCODINGS",
    "MAX_INPUT_BYTES",
    "ROW_COLUMN",
    "TABLE_SUFFIXES",
    "TableReadError",
    "decode_text",
    "neutralise_formulas",
    "read_table",
]

MAX_INPUT_BYTES = 50 * 1024 * 1024  # same limit as vector files and server.maxUploadSize
ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK and GB2312
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
ROW_COLUMN = "_row"
_SCAN_ROWS = 10


class TableReadError(Exception):
    """A table could not be read; the message is fit to show to a user."""


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes trying UTF-8 (with or without BOM), then GB18030 (GBK).

    Returns
    -------
    (text, encoding)
    """
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            continue
    raise TableReadError("无法识别文件编码（支持 UTF-8、GBK）/ cannot decode the file as UTF-8 or GBK")


def _delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines() if line.strip()][:_SCAN_ROWS]
    counts = {d: max((line.count(d) for line in lines), default=0) for d in (",", "\t", ";", "，")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(data: bytes) -> tuple[pd.DataFrame, dict[str, str]]:
    """Ragged rows are allowed (a title line above the header has one cell)."""
    text, encoding = decode_text(data)
    delimiter = _delimiter(text[:8192])
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise TableReadError(f"CSV 格式错误 / malformed CSV: {exc}") from exc
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)
    return frame, {"encoding": encoding, "delimiter": delimiter}


def _read_xlsx(data: bytes, sheet: str | int | None) -> tuple[pd.DataFrame, dict[str, str]]:
    try:
        book = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors on bad files
        raise TableReadError(f"不是有效的 Excel（.xlsx）文件 / not a valid .xlsx file: {exc}") from exc
    names = book.sheet_names
    if sheet is None:
        sheet = names[0]
    elif isinstance(sheet, str) and sheet not in names:
        raise TableReadError(f"工作表“{sheet}”不存在，可选：{'、'.join(names)} / no sheet {sheet!r}")
    frame = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
    frame = frame.map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else _cell_text(v))
    return frame, {"encoding": "xlsx", "sheet": str(sheet)}


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def read_table(
    source: str | Path | bytes,
    filename: str | None = None,
    find_header: Callable[[Sequence[Sequence[str]]], int] | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a CSV or XLSX table with text cells and the file's row numbers.

    Parameters
    ----------
    source : path or bytes
        The file, or its content (uploads); with bytes, ``filename`` gives the format.
    filename : str, optional
        Name used for the format (by suffix) and in messages.
    find_header : callable, optional
        Given the first rows (lists of cell text), returns the index of the header row; default 0.
    sheet : str or int, optional
        XLSX sheet (default: the first).

    Returns
    -------
    DataFrame
        Columns are the header cells (stripped), values are ``str`` (empty string for blank
        cells), plus :data:`ROW_COLUMN` with the 1-based row number in the file. Fully blank
        rows are dropped. ``attrs`` records ``encoding``, ``source`` and ``header_row``.

    Raises
    ------
    TableReadError
        Unknown format, undecodable text, malformed CSV or XLSX, empty table, duplicate headers.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        filename = filename or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TableReadError(f"无法读取文件 / cannot read {path}: {exc.strerror}") from exc
    else:
        data = source
    name = filename or "upload"
    if len(data) > MAX_INPUT_BYTES:
        raise TableReadError(
            f"文件过大（{len(data) / 2**20:,.1f} MB），上限 {MAX_INPUT_BYTES / 2**20:,.0f} MB / file too large: {name}"
        )
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw, attrs = _read_xlsx(data, sheet)
    elif suffix in (".csv", ".txt"):
        raw, attrs = _read_csv(data)
    elif suffix == ".xls":
        raise TableReadError("不支持旧版 .xls，请在 Excel 中另存为 .xlsx / legacy .xls is not supported; save as .xlsx")
    else:
        raise TableReadError(f"不支持的表格格式“{suffix}”，请使用 CSV 或 XLSX / unsupported table format {suffix!r}")
    raw = raw.astype(str).apply(lambda col: col.str.strip())
    if raw.empty:
        raise TableReadError(f"表格为空 / the table is empty: {name}")
    head = raw.head(_SCAN_ROWS).to_numpy().tolist()
    header_at = find_header(head) if find_header else 0
    headers = [h for h in raw.iloc[header_at].tolist()]
    body = raw.iloc[header_at + 1 :].copy()
    keep = [i for i, h in enumerate(headers) if h]  # unnamed columns (often trailing) are dropped
    headers = [headers[i] for i in keep]
    dupes = sorted({h for h in headers if headers.count(h) > 1})
    if dupes:
        raise TableReadError(f"表头重复：{'、'.join(dupes)} / duplicate headers: {', '.join(dupes)}")
    body = body.iloc[:, keep]
    body.columns = headers
    body[ROW_COLUMN] = body.index.to_numpy() + 1  # positional index → Excel row number
    blank = (body[headers] == "").all(axis=1)
    body = body.loc[~blank].reset_index(drop=True)
    body.attrs.update(attrs, source=name, header_row=header_at + 1)
    return body


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as spreadsheet formulas (CSV/XLSX injection).

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
    apostrophe, the OWASP remedy; numbers are left as numbers.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        text = values.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START))
        if text.any():
            out[column] = values.where(~text, "'" + values.astype(str))
    return out
