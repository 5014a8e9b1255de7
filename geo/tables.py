"""Read the tables users really have: CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, and XLSX.

Files are identified by content and parsed in a bounded worker (see :func:`read_table`).

Every cell is read as text so that validation can report ``"1,2O0"`` as not a number on its
row instead of pandas guessing a type for the whole column. The header row is found by the
caller's ``find_header`` (Chinese spreadsheets often carry a title line above the header), and
every data row keeps its row number in the file (column ``_row``, 1-based as Excel shows it).
Failures raise :class:`TableReadError` with a message in Chinese and English.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from defusedxml import ElementTree
from defusedxml.common import EntitiesForbidden
from python_calamine import CalamineWorkbook

from geo.bounded import ResourceLimitError, run_bounded
from geo.limits import LIMITS, too_many
from geo.sniff import TABLE_FORMATS, FormatError, check_zip, expect_format
from geo.text import clean_series, clean_text

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

MAX_INPUT_BYTES = LIMITS.max_bytes  # same limit as vector files and server.maxUploadSize
ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK and GB2312
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
ROW_COLUMN = "_row"
_SCAN_ROWS = 10
_BATCH = 20_000  # sheet rows converted to text at once
_DECIMAL_COMMA = re.compile(r"^[-+]?(\d+|\d{1,3}(\.\d{3})+),\d+$")
_THOUSANDS_DOT_DECIMAL = re.compile(r"^[-+]?\d{1,3}(,\d{3})+\.\d+$")
_XLSX_ROW_TAGS = (b"<row ", b"<row>", b":row ")  # <row …> or a prefixed <x:row …> (not the closing </x:row>)
_XLSX_CELL_TAGS = (b"<c ", b"<c>", b":c ")  # <c …> or a prefixed <x:c …> (not the closing </x:c>)
# A cell reference beyond column 200 (GR): three letters, or two from GS on.
_XLSX_FAR_CELL = re.compile(rb' r="(?:[A-Z]{3}|[H-Z][A-Z]|G[S-Z])[0-9]')  # a literal prefix: scanned fast
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}

FindHeader = Callable[[Sequence[Sequence[str]]], "int | None"]


class TableReadError(Exception):
    """A table could not be read; the message is fit to show to a user."""


def _note(notes: list[str], zh: str, en: str) -> None:
    notes.append(f"{zh} / {en}")


def decode_text(data: bytes, notes: list[str] | None = None) -> tuple[str, str]:
    """Decode CSV bytes as UTF-8 (with or without BOM) or GB18030 (GBK), line by line if mixed.

    A GBK file with a few rows pasted from a UTF-8 file would otherwise turn those rows into
    mojibake without a word: when a GBK file holds lines that are valid UTF-8 with non-ASCII
    text, each line is decoded in its own encoding and a note names the lines.

    Returns
    -------
    (text, encoding)
        ``encoding`` is ``"utf-8"``, ``"gb18030"`` or ``"gb18030+utf-8"`` (mixed).
    """
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    decoded, utf8_lines = [], []
    for number, line in enumerate(lines, start=1):
        if not line.isascii():
            try:
                decoded.append(line.decode("utf-8"))
                utf8_lines.append(number)
                continue
            except UnicodeDecodeError:
                pass
        try:
            decoded.append(line.decode("gb18030"))
        except UnicodeDecodeError as exc:
            raise TableReadError(
                f"无法识别第 {number} 行的编码（支持 UTF-8、GBK）/ cannot decode line {number} as UTF-8 or GBK"
            ) from exc
    if not utf8_lines:
        return "\n".join(decoded), "gb18030"
    if notes is not None:
        shown = "、".join(map(str, utf8_lines[:10])) + ("…" if len(utf8_lines) > 10 else "")
        _note(notes, f"文件为 GBK 编码，但第 {shown} 行为 UTF-8 编码，已逐行识别，请核对这些行",
              f"the file is GBK but lines {shown} are UTF-8; each line was decoded in its own encoding, "
              "please check them")  # fmt: skip
    return "\n".join(decoded), "gb18030+utf-8"


def _delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines() if line.strip()][:_SCAN_ROWS]
    counts = {d: max((line.count(d) for line in lines), default=0) for d in (",", "\t", ";", "，")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _decimal_commas(frame: pd.DataFrame, delimiter: str, notes: list[str]) -> pd.DataFrame:
    """Convert ``12,5`` to ``12.5`` in a ``;``- or tab-separated file, or refuse when ambiguous."""
    if delimiter == ",":
        return frame  # a comma inside a cell was quoted: left to the number parser, which refuses "12,5"
    cells = pd.Series(frame.to_numpy().ravel())
    cells = cells[cells.str.contains(",", regex=False)]
    if cells.empty:
        return frame
    decimal = cells.str.match(_DECIMAL_COMMA)
    english = cells.str.match(_THOUSANDS_DOT_DECIMAL)
    if not decimal.any():
        return frame
    three = cells[decimal].str.extract(r",(\d+)$")[0].str.len() == 3
    if english.any() or three.all():
        example = cells[decimal].iloc[0]
        raise TableReadError(
            f"无法判断小数点：分隔符为“{delimiter}”，数字如“{example}”既可能是小数也可能是千分位；"
            f"请把小数点改为“.”后再导入 / cannot tell the decimal mark: with {delimiter!r} as separator, "
            f"numbers such as {example!r} may be decimals or thousands; save the file with '.' as the decimal mark"
        )

    def to_dot(col: pd.Series) -> pd.Series:
        dotted = col.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        return col.where(~col.str.match(_DECIMAL_COMMA), dotted)

    example = cells[decimal].iloc[0]
    _note(notes, f"文件以“{delimiter}”分隔、以逗号作小数点（如“{example}”），已按小数读取",
          f"the file is {delimiter!r}-separated with decimal commas (e.g. {example!r}); "
          "read as decimals")  # fmt: skip
    return frame.apply(to_dot)


def _read_csv_fast(start: str, utf8: bytes, delimiter: str) -> pd.DataFrame | None:
    """pandas' C parser over the UTF-8 bytes, all cells as text; ``None`` for ragged rows beyond
    the first lines (``start``: the beginning of the decoded text)."""
    head = list(itertools.islice(csv.reader(io.StringIO(start, newline=""), delimiter=delimiter), _SCAN_ROWS))
    width = max((len(r) for r in head), default=0)
    if width == 0 or width > LIMITS.max_columns:
        return None
    try:
        frame = pd.read_csv(io.BytesIO(utf8), encoding="utf-8", sep=delimiter, header=None,
                            names=range(width), dtype=str,
                            keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c",
                            nrows=LIMITS.max_rows + _SCAN_ROWS + 1, quoting=csv.QUOTE_MINIMAL)  # fmt: skip
    except (pd.errors.ParserError, ValueError):
        return None
    if len(frame) > LIMITS.max_rows + _SCAN_ROWS:
        raise TableReadError(too_many("行", "rows", None, LIMITS.max_rows))
    _limit_cells(len(frame), width)
    return frame.fillna("")


def _limit_cells(rows: int, width: int) -> None:
    if rows * width > LIMITS.max_cells:
        raise TableReadError(too_many("单元格", "cells", rows * width, LIMITS.max_cells))


def _read_csv(data: bytes, notes: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Ragged rows are allowed (a title line above the header has one cell)."""
    if b"\x00" in data[:65536]:
        raise TableReadError("文件含二进制内容，不是文本表格 / the file holds binary data, not a text table")
    text, encoding = decode_text(data, notes)
    delimiter = _delimiter(text[:8192])
    utf8 = data.removeprefix(b"\xef\xbb\xbf") if encoding == "utf-8" else text.encode("utf-8")
    frame = _read_csv_fast(text[:65536], utf8, delimiter)
    del utf8
    if frame is not None:
        return _decimal_commas(frame, delimiter, notes), {"encoding": encoding, "delimiter": delimiter}
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        rows = list(itertools.islice(reader, LIMITS.max_rows + _SCAN_ROWS + 1))
        more = next(reader, None) is not None
    except csv.Error as exc:
        raise TableReadError(f"CSV 格式错误 / malformed CSV: {exc}") from exc
    if more or len(rows) > LIMITS.max_rows + _SCAN_ROWS:
        raise TableReadError(too_many("行", "rows", None, LIMITS.max_rows))
    width = max((len(r) for r in rows), default=0)
    if width > LIMITS.max_columns:
        raise TableReadError(too_many("列", "columns", width, LIMITS.max_columns))
    _limit_cells(len(rows), width)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)
    frame = _decimal_commas(frame, delimiter, notes)
    return frame, {"encoding": encoding, "delimiter": delimiter}


def _xlsx_sheets(zf: zipfile.ZipFile) -> list[tuple[str, str, bool]]:
    """(name, member path, visible) of every worksheet, in workbook order."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, EntitiesForbidden) as exc:
        raise TableReadError("Excel 工作簿结构损坏 / the workbook's structure is damaged") from exc
    targets = {r.get("Id"): str(r.get("Target", "")) for r in rels.findall("p:Relationship", _NS)}
    sheets = []
    for sheet in book.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        sheets.append((str(sheet.get("name")), member, sheet.get("state", "visible") == "visible"))
    return sheets


def _xlsx_extent(zf: zipfile.ZipFile, member: str) -> str | None:
    """Why a sheet is too big (rows, cells, or cells beyond the column limit), found by streaming
    its XML (nothing is built; calamine would allocate the whole rectangle); ``None`` if it fits."""
    assert LIMITS.max_columns == 200, "_XLSX_FAR_CELL encodes column 200"
    rows, cells, wide, tail = 0, 0, False, b""
    with zf.open(member) as fh:
        while chunk := fh.read(1 << 20):
            block = tail + chunk
            cut = block.rfind(b">") + 1
            head = block[:cut]
            rows += sum(head.count(tag) for tag in _XLSX_ROW_TAGS)
            cells += sum(head.count(tag) for tag in _XLSX_CELL_TAGS)
            wide = wide or _XLSX_FAR_CELL.search(head) is not None
            tail = block[cut:]
            if rows > LIMITS.max_rows + _SCAN_ROWS:
                return too_many("行", "rows", None, LIMITS.max_rows)
            if wide:
                return too_many("列", "columns", None, LIMITS.max_columns)
            if cells > LIMITS.max_cells:
                return too_many("单元格", "cells", None, LIMITS.max_cells)
    return None


def _read_xlsx(
    data: bytes, sheet: str | int | None, find_header: FindHeader | None, notes: list[str]
) -> tuple[pd.DataFrame, dict[str, str]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        check_zip(zf.infolist(), LIMITS.max_unpacked_bytes, LIMITS.max_ratio)
        sheets = _xlsx_sheets(zf)
    except FormatError as exc:
        raise TableReadError(str(exc)) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise TableReadError(f"不是有效的 Excel（.xlsx）文件 / not a valid .xlsx file: {exc}") from exc
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types on damaged files
        raise TableReadError(f"不是有效的 Excel（.xlsx）文件 / not a valid .xlsx file: {exc}") from exc
    names = [name for name, _, _ in sheets]
    if isinstance(sheet, str) and sheet not in names:
        raise TableReadError(f"工作表“{sheet}”不存在，可选：{'、'.join(names)} / no sheet {sheet!r}")
    if isinstance(sheet, int):
        sheet = names[sheet]

    loaded: dict[str, Any] = {}

    def sheet_of(name: str) -> Any:
        if name not in loaded:  # counted before calamine builds the sheet's whole rectangle
            too_big = _xlsx_extent(zf, next(m for n, m, _ in sheets if n == name))
            if too_big:
                raise TableReadError(f"工作表“{name}”：{too_big}")
            loaded[name] = book.get_sheet_by_name(name)
        return loaded[name]

    def rows_of(name: str, limit: int) -> list[list[object]]:
        return sheet_of(name).to_python(skip_empty_area=False, nrows=limit)

    if sheet is None:
        ordered = [s for s in sheets if s[2]] + [s for s in sheets if not s[2]]
        chosen = ordered[0]
        if find_header is not None:
            for candidate in ordered:
                head = [[_cell_text(v) for v in row] for row in rows_of(candidate[0], _SCAN_ROWS)]
                if head and find_header(head) is not None:
                    chosen = candidate
                    break
        sheet = chosen[0]
        hidden = [n for n, _, visible in sheets if not visible]
        position = names.index(sheet) + 1
        if len(sheets) > 1 or hidden:
            skipped = f"；隐藏工作表未读：{'、'.join(hidden)}" if hidden and sheet not in hidden else ""
            skipped_en = f"; hidden sheets not read: {', '.join(hidden)}" if hidden and sheet not in hidden else ""
            state, state_en = ("（隐藏）", " (hidden)") if sheet in hidden else ("", "")
            _note(notes, f"读取工作表“{sheet}”{state}（第 {position} 个，共 {len(sheets)} 个）{skipped}",
                  f"read sheet {sheet!r}{state_en} ({position} of {len(sheets)}){skipped_en}")  # fmt: skip
    frame = _sheet_frame(sheet_of(sheet))
    loaded.clear()  # calamine's copy of the sheet
    return frame, {"encoding": "xlsx", "sheet": str(sheet)}


def _as_text(cells: list[object]) -> pa.Array | None:
    """Homogeneous cells (numbers or text, with blanks) as text in one Arrow pass; ``None`` if mixed."""
    try:
        arr = pa.array(cells, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type) or pa.types.is_null(arr.type):
        arr = arr.cast(pa.string())
    if not pa.types.is_string(arr.type):
        return None  # dates, booleans: cell by cell
    return arr.fill_null("")


def _text_array(cells: Sequence[object], exact: int) -> pa.Array:
    """Cells of one column as text: numbers as written (3811, 12.5), blanks as "".

    Below the first ``exact`` cells (title and header lines are text above numbers) a column
    usually holds one kind of value and goes through Arrow in one pass; the rest cell by cell.
    """
    values = [None if v == "" else v for v in cells]  # calamine gives "" for an empty cell
    head = pa.array([_cell_text(v) for v in values[:exact]], pa.string())
    tail = _as_text(values[exact:])
    if tail is None:
        tail = pa.array([_cell_text(v) for v in values[exact:]], pa.string())
    return pa.concat_arrays([head, tail])


def _sheet_frame(sheet: Any) -> pd.DataFrame:
    """A calamine sheet as text columns, converted :data:`_BATCH` rows at a time.

    Rows start at the sheet's first row (row numbers stay those of the file). Only one batch of
    cells exists as Python objects at a time; the columns are Arrow strings (a 100,000-firm
    sheet: ≈ 100 MB less than building every row first).
    """
    rows = sheet.iter_rows()
    parts: list[list[pa.Array]] = []
    while batch := list(itertools.islice(rows, _BATCH)):
        exact = 0 if parts else _SCAN_ROWS
        by_column = list(zip(*batch, strict=True))
        parts = parts or [[] for _ in by_column]
        for column, cells in zip(parts, by_column, strict=True):
            column.append(_text_array(cells, exact))
    if not parts:
        return pd.DataFrame()
    table = pa.table([pa.chunked_array(p, pa.string()) for p in parts], names=[str(j) for j in range(len(parts))])
    frame = table.to_pandas()
    frame.columns = pd.RangeIndex(len(parts))
    return frame


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    return str(value)


def _parse_table(
    data: bytes, name: str, kind: str, find_header: FindHeader | None, sheet: str | int | None
) -> pd.DataFrame:
    """Parse, normalise and cut a table to its header and rows (runs in the bounded worker)."""
    notes: list[str] = []
    if kind == "xlsx":
        raw, attrs = _read_xlsx(data, sheet, find_header, notes)
    else:
        raw, attrs = _read_csv(data, notes)
    if raw.empty:
        raise TableReadError(f"表格为空 / the table is empty: {name}")
    for column in raw.columns:  # one column at a time: never two copies of the table
        raw[column] = clean_series(raw[column].astype(str), fold=False)
    head = raw.head(_SCAN_ROWS).to_numpy().tolist()
    found = find_header(head) if find_header else 0
    header_at = found or 0
    headers = [clean_text(h) for h in raw.iloc[header_at].tolist()]
    body = raw.iloc[header_at + 1 :]
    del raw
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
    if len(body) > LIMITS.max_rows:
        raise TableReadError(too_many("行", "rows", len(body), LIMITS.max_rows))
    body.attrs.update(attrs, source=name, header_row=header_at + 1, notes=notes)
    return body


def read_table(
    source: str | Path | bytes,
    filename: str | None = None,
    find_header: FindHeader | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a CSV or XLSX table with text cells and the file's row numbers.

    The format comes from the content (:mod:`geo.sniff`) and must agree with the suffix; the
    parse runs in a worker bounded in time and memory, and rows and columns are counted
    against :data:`geo.limits.LIMITS` before a sheet is loaded.

    Parameters
    ----------
    source : path or bytes
        The file, or its content (uploads); with bytes, ``filename`` gives the name.
    filename : str, optional
        Name checked against the content and used in messages.
    find_header : callable, optional
        Given the first rows (lists of cell text), returns the index of the header row, or
        ``None`` when none of them is a header; default: the first row. In a workbook, the first
        sheet (visible sheets first) whose rows hold a header is read.
    sheet : str or int, optional
        XLSX sheet (default: chosen as above).

    Returns
    -------
    DataFrame
        Columns are the header cells (normalised, see :mod:`geo.text`), values are ``str``
        (empty string for blank cells; invisible and control characters removed), plus
        :data:`ROW_COLUMN` with the 1-based row number in the file. Fully blank rows are
        dropped. ``attrs`` records ``encoding``, ``source``, ``header_row``, ``sheet`` and
        ``notes`` (what was detected or converted, "中文 / English").

    Raises
    ------
    TableReadError
        Refused or unknown format, undecodable text, malformed CSV or XLSX, ambiguous decimal
        mark, a limit exceeded, empty table, duplicate headers.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        filename = filename or path.name
        try:
            if path.stat().st_size > MAX_INPUT_BYTES:
                raise TableReadError(f"文件过大，上限 {MAX_INPUT_BYTES / 2**20:,.0f} MB / file too large: {path.name}")
            data = path.read_bytes()
        except OSError as exc:
            raise TableReadError(f"无法读取文件 / cannot read {path}: {exc.strerror}") from exc
    else:
        data = source
    name = Path(filename or "upload.csv").name
    if len(data) > MAX_INPUT_BYTES:
        raise TableReadError(
            f"文件过大（{len(data) / 2**20:,.1f} MB），上限 {MAX_INPUT_BYTES / 2**20:,.0f} MB / file too large: {name}"
        )
    if not data.strip():
        raise TableReadError(f"表格为空 / the table is empty: {name}")
    try:
        kind = expect_format(data, name, TABLE_FORMATS)
    except FormatError as exc:
        raise TableReadError(str(exc)) from exc
    try:
        return run_bounded(_parse_table, data, name, kind, find_header, sheet)
    except ResourceLimitError as exc:
        raise TableReadError(str(exc)) from exc


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
