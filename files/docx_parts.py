"""Word (DOCX) building blocks shared by the documents this program writes (notice lists, site reports).

python-docx sets only the Latin font of a style; :func:`set_cjk_font` names the East Asian one, so that
Chinese text renders in Word and WPS with a standard Chinese face. :func:`add_table` writes a table with
a header row by copying a filled template row (python-docx's per-cell API is slow for thousands of rows).
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable, Sequence

import pandas as pd

__all__ = ["CJK_FONT", "add_table", "cell_text", "set_cjk_font"]

CJK_FONT = "宋体"  # SimSun: on every Chinese Windows; WPS and LibreOffice substitute their own Song face
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def set_cjk_font(style, name: str = CJK_FONT) -> None:
    """Name the CJK (East Asian) font of a python-docx style."""
    from docx.oxml.ns import qn

    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def cell_text(value: object) -> str:
    """Text XML can carry (no control characters; NaN as empty; floats without trailing zeros).

    >>> cell_text(float("nan")), cell_text(2.50), cell_text("a\\x00b")
    ('', '2.5', 'ab')
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = value if isinstance(value, str) else (f"{value:g}" if isinstance(value, float) else str(value))
    return "".join(ch for ch in text if ch >= " " or ch in "\t\n")


def add_table(
    doc,
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    marked: Collection[tuple[int, int]] = frozenset(),
    mark_colour: str = "FDE68A",
):
    """Append a table (style "Table Grid", bold header) and return it; ``marked`` (row, column) cells are shaded."""
    table = doc.add_table(rows=2, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = cell_text(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    template = table.rows[1]._tr
    body = template.getparent()
    for r, values in enumerate(rows):
        tr = copy.deepcopy(template)
        for c, (tc, value) in enumerate(zip(tr.iterchildren(f"{_W}tc"), values, strict=True)):
            paragraph = next(tc.iterchildren(f"{_W}p"))
            run = paragraph.makeelement(f"{_W}r", {})
            text = run.makeelement(f"{_W}t", {})
            text.text = cell_text(value)
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.append(text)
            paragraph.append(run)
            if (r, c) in marked:
                _shade(tc, mark_colour)
        body.append(tr)
    body.remove(template)
    return table


def _shade(tc, colour: str) -> None:
    tc_pr = tc.find(f"{_W}tcPr")
    if tc_pr is None:
        tc_pr = tc.makeelement(f"{_W}tcPr", {})
        tc.insert(0, tc_pr)
    shading = tc_pr.makeelement(f"{_W}shd", {f"{_W}val": "clear", f"{_W}color": "auto", f"{_W}fill": colour})
    tc_pr.append(shading)
