"""公示名单 as files: an XLSX workbook and a DOCX document per class and district (issue 13, 5).

The rows are :func:`analysis.land_yield.publication.notice_table`'s: firm, code, district and class,
the figures only when chosen (``confidential=True``), a class changed after an objection marked in
备注. The DOCX is what a notice is printed from: a title, the counts per district and class, then one
section per class with a table per district; the publishing office fills in the notice period and
where objections go (marked 【待填写】 — the tool does not invent them). Chinese text names the
standard CJK font 宋体 (SimSun), which Word and LibreOffice substitute where it is missing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.land_yield.config import CLASS_INFO
from analysis.land_yield.objections import Objection, ObjectionError, read_register
from analysis.land_yield.publication import NOTICE_CLASSES, notice_counts, notice_table, notice_title
from files.docx_parts import add_table, set_cjk_font
from files.xlsx import xlsx_bytes
from geo.io import GeoIOError, write_by_suffix
from geo.tables import TableReadError, read_table

__all__ = ["NoticeOptions", "notice_docx", "notice_xlsx", "read_objections", "write_notice"]


@dataclass(frozen=True)
class NoticeOptions:
    """What a notice shows: the evaluation year, the language, firms' figures or not, the synthetic-data label."""

    year: int
    lang: str = "zh"
    confidential: bool = False
    synthetic: bool = False

    @property
    def title(self) -> str:
        return notice_title(self.year, self.lang, self.synthetic)

    def texts(self, n: int) -> list[str]:
        """The notice's opening paragraphs (the office's own details left to fill in)."""
        if self.lang == "zh":
            return [
                f"根据工业企业亩产效益评价办法，现将 {self.year} 年度评价结果（共 {n} 家企业）予以公示。"
                "类别调整经异议复核的，在“备注”中注明。",
                "公示期：【待填写】。对评价结果有异议的，请于公示期内向【待填写：受理单位及联系方式】书面提出。",
            ]
        return [
            f"The {self.year} land-yield evaluation classes of {n} firms are published for notice. Classes "
            "changed after an objection are marked in the note column.",
            "Notice period: [to be filled in]. Objections in writing to [to be filled in: office and contact].",
        ]

    def footer(self) -> str:
        today = date.today().isoformat()
        if self.lang == "zh":
            figures = "含企业指标" if self.confidential else "不含企业指标（保密）"
            return f"生成日期 {today}；{figures}；由青岛市制造业布局规划工具生成"
        figures = "with firms' figures" if self.confidential else "firms' figures withheld (confidential)"
        return f"Generated {today}; {figures}; Qingdao manufacturing layout planner"


def _class_heading(cls: str, n: int, lang: str) -> str:
    info = CLASS_INFO[cls]
    return f"{cls} 类（{info['zh'].split('（')[0]}）企业名单（{n} 家）" if lang == "zh" else (
        f"Class {cls} ({info['en'].split(' (')[0]}): {n} firms")  # fmt: skip


def notice_xlsx(result: pd.DataFrame, options: NoticeOptions) -> bytes:
    """The notice as a workbook: 说明, 汇总 (district × class) and one sheet per class."""
    table = notice_table(result, options.lang, options.confidential)
    zh = options.lang == "zh"
    cls_col = "类别" if zh else "class"
    about = [options.title, *options.texts(len(table)), options.footer()]
    sheets = {"说明" if zh else "about": pd.DataFrame({"说明" if zh else "about": about}),
              "汇总" if zh else "counts": notice_counts(result, options.lang).reset_index()}  # fmt: skip
    for cls in NOTICE_CLASSES:
        rows = table[table[cls_col] == cls]
        sheets[f"{cls}类名单" if zh else f"class {cls}"] = rows
    return xlsx_bytes(sheets)


def notice_docx(result: pd.DataFrame, options: NoticeOptions) -> bytes:
    """The notice as a Word document: title, opening, counts, then per class a table per district."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    zh = options.lang == "zh"
    table = notice_table(result, options.lang, options.confidential)
    doc = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        set_cjk_font(doc.styles[name])
    doc.styles["Normal"].font.size = Pt(10.5)
    if options.confidential:  # the figures need the width of a landscape page
        section = doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    doc.add_heading(options.title, level=0)
    if options.synthetic:
        doc.add_paragraph().add_run(
            "合成样例数据，非真实企业" if zh else "Synthetic sample data, not real firms"
        ).bold = True
    for paragraph in options.texts(len(table)):
        doc.add_paragraph(paragraph)
    doc.add_heading("各区市分类企业数" if zh else "Firms per district and class", level=1)
    counts = notice_counts(result, options.lang).reset_index()
    add_table(doc, list(counts.columns), counts.itertuples(index=False))
    cls_col, district_col = ("类别", "区市") if zh else ("class", "district")
    shown = [c for c in table.columns if c not in (cls_col, "类别名称" if zh else "class name", district_col)]
    for cls in NOTICE_CLASSES:
        rows = table[table[cls_col] == cls]
        if rows.empty:
            continue
        doc.add_heading(_class_heading(cls, len(rows), options.lang), level=1)
        for district, part in rows.groupby(district_col, sort=True):
            label = district or ("未填区市" if zh else "no district")
            doc.add_heading(f"{label}（{len(part)} 家）" if zh else f"{label} ({len(part)})", level=2)
            add_table(doc, shown, part[shown].itertuples(index=False))
    doc.add_paragraph(options.footer())
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write_notice(result: pd.DataFrame, out: Path, options: NoticeOptions) -> None:
    """Write the notice by the suffix of ``out`` (.xlsx or .docx), atomically.

    Raises
    ------
    ValueError
        Another suffix.
    GeoIOError
        The file cannot be written (bilingual message naming ``out``).
    """
    writers = {".xlsx": lambda: notice_xlsx(result, options), ".docx": lambda: notice_docx(result, options)}
    write_by_suffix(out, writers, ("公示名单", "the notice"))


def read_objections(source: Path | bytes, result: pd.DataFrame, filename: str | None = None) -> list[Objection]:
    """An objection register file (CSV or XLSX, as the page downloads it), each row checked against ``result``.

    Raises
    ------
    ObjectionError
        The file cannot be read as a table, lacks a column, or a row cannot be recorded.
    """
    try:
        table = read_table(source, filename)
    except (TableReadError, GeoIOError) as exc:
        raise ObjectionError(f"异议登记表无法读取 / cannot read the objection register: {exc}") from exc
    return read_register(table.drop(columns=[c for c in table.columns if str(c).startswith("_")]), result)
