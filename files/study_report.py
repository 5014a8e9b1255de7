"""The site-study report a committee reads, as DOCX and PDF (issue 14, 6).

:func:`report_blocks` turns a study — the ranking (:class:`analysis.siting.rank.SiteResult`), where its
weights came from, its stability, the scenarios compared, the maps — into a list of :class:`Block`
(title, headings, paragraphs, bullet lists, tables, images, notes) in the language asked. Two renderers
write the same blocks: :func:`docx_bytes` (python-docx; Chinese in a standard Song face) and
:func:`pdf_bytes` (matplotlib; the server's CJK font embedded, A4 portrait, page numbers). So the Word and
the PDF report say the same thing, and tests read both back.

Contents: the project and its 标准地 figures; the parameters (weights — by AHP with the consistency
ratio when given —, 标准地 thresholds, speeds, corridor width); an overview map and a detail map of the
recommended plots (legend, scale bar, north arrow; :func:`webmap.print_layout.print_map`); the ranked
clusters and plots with Chinese headers and rounded numbers; for the first clusters and plots the
reasons that cite the plan; the ranking's stability; the scenarios compared; the data-quality caveats,
sources and licences; the date.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.siting.ahp import Ahp
from analysis.siting.config import FACTORS
from analysis.siting.rank import SiteResult
from analysis.siting.scenarios import Comparison
from analysis.siting.sensitivity import Sensitivity
from files.docx_parts import add_table, cell_text, set_cjk_font
from geo.io import write_by_suffix
from i18n import t
from i18n.render import render_all
from webmap.siting_map import SitingMapData

__all__ = [
    "Block",
    "StudyReport",
    "comparison_table",
    "docx_bytes",
    "pdf_bytes",
    "quality_notes",
    "report_blocks",
    "report_maps",
    "study_report",
    "tau_text",
    "write_study_report",
]

BlockKind = Literal["title", "subtitle", "heading", "para", "bullets", "table", "image", "note"]
REASON_ROWS = 3  # clusters and plots whose reasons are written out in full


@dataclass(frozen=True)
class Block:
    """One piece of the report, independent of the format it is written in.

    ``table``: ``header`` and ``rows`` (text), ``widths`` (relative column widths), ``marked`` cells
    (row, column) to highlight; ``image``: PNG bytes with ``text`` as caption; ``bullets``: ``items``.
    """

    kind: BlockKind
    text: str = ""
    items: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = ()
    marked: frozenset[tuple[int, int]] = frozenset()
    image: bytes = b""


@dataclass(frozen=True)
class StudyReport:
    """What goes into the report besides the ranking.

    Attributes
    ----------
    result : SiteResult
    lang : {"zh", "en"}
    date : str
        As printed (the caller's local date).
    maps : sequence of (caption, PNG bytes)
    stability : Sensitivity, optional
    comparison : Comparison, optional
    ahp : Ahp, optional
        When the weights came from pairwise judgements.
    corridor_km : float
        Half width of the axis corridors used.
    quality : sequence of str
        Data-quality lines (:func:`quality_notes`).
    top_plots : int
        Plots listed.
    """

    result: SiteResult
    lang: str
    date: str
    maps: Sequence[tuple[str, bytes]] = ()
    stability: Sensitivity | None = None
    comparison: Comparison | None = None
    ahp: Ahp | None = None
    corridor_km: float = 5.0
    quality: Sequence[str] = field(default_factory=tuple)
    top_plots: int = 10


def _n(value: object, digits: int = 1) -> str:
    """A number as printed: rounded, thousands separated; "—" for missing."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "—"
    return f"{float(value):,.{digits}f}"  # type: ignore[arg-type]


def quality_notes(layers: Mapping[str, gpd.GeoDataFrame], lang: str) -> list[str]:
    """One line per layer used: its data quality and sources (as the layers' own columns say)."""
    from layers.catalogue import layer_specs

    specs = layer_specs()
    out = []
    for layer_id, gdf in layers.items():
        if layer_id not in specs or gdf is None or not len(gdf):
            continue
        qualities = sorted(set(gdf.get("geometry_quality", pd.Series(dtype=str)).dropna().astype(str)))
        sources = sorted(set(gdf.get("source", pd.Series(dtype=str)).dropna().astype(str)))
        quality = "、".join(t(f"quality_{q}", lang) if q in ("official", "approximate", "schematic", "synthetic")
                           else q for q in qualities)  # fmt: skip
        shown = "；".join(sources[:3]) + (f" …（{len(sources)}）" if len(sources) > 3 else "")
        out.append(t("rpt_quality_line", lang).format(layer=specs[layer_id].label(lang), quality=quality or "—",
                                                       source=shown or "—"))  # fmt: skip
    return out


def comparison_table(cmp: Comparison, lang: str, kind: str = "clusters") -> pd.DataFrame:
    """Scenarios side by side as a table a committee reads: name, then per scenario its rank (with the change
    against the base: ↑ up, ↓ down, = same) and score."""
    frame = cmp.clusters if kind == "clusters" else cmp.plots
    out = pd.DataFrame({t("site_name", lang): frame["name"].to_numpy()})
    for i, name in enumerate(cmp.names):
        ranks = frame[f"rank_{i}"].astype(int).astype(str)
        if i:
            moved = frame[f"change_{i}"].astype(int).map(lambda c: f"↑{c}" if c > 0 else f"↓{-c}" if c < 0 else "=")
            ranks = ranks + " (" + moved + ")"
        out[f"{name} · {t('site_rank', lang)}"] = ranks.to_numpy()
        out[f"{name} · {t('site_score', lang)}"] = frame[f"score_{i}"].round(1).to_numpy()
    return out


def tau_text(cmp: Comparison, lang: str) -> str:
    """Kendall's τ of each scenario against the base, as one line.

    >>> import pandas as pd
    >>> cmp = Comparison(["基准", "A", "B"], pd.DataFrame(), pd.DataFrame(), [1.0, 0.5, 1.0])
    >>> tau_text(cmp, "zh"), tau_text(cmp, "en")
    ('A：τ = 0.50；B：τ = 1.00', 'A: τ = 0.50; B: τ = 1.00')
    """
    colon, sep = ("：", "；") if lang == "zh" else (": ", "; ")
    return sep.join(f"{n}{colon}τ = {tau:.2f}" for n, tau in zip(cmp.names[1:], cmp.tau[1:], strict=True))


def _table(frame: pd.DataFrame, widths: Sequence[float] = (), marked: frozenset = frozenset()) -> Block:
    rows = tuple(tuple(cell_text(v) for v in row) for row in frame.itertuples(index=False))
    return Block("table", header=tuple(str(c) for c in frame.columns), rows=rows, widths=tuple(widths), marked=marked)


def _project(result: SiteResult, lang: str) -> Block:
    p = result.project
    rows = [
        (
            t("site_industry", lang),
            f"{p.term}（{p.industry_name}）" if lang == "zh" else f"{p.term} ({p.industry_name})",
        ),
        (t("site_land", lang), _n(p.land_mu)),
        (t("site_investment", lang), _n(p.investment_wan, 0)),
        (t("site_tax", lang), _n(p.tax_wan, 0)),
        (t("site_energy", lang), _n(p.energy_tce, 0)),
        (t("rpt_investment_per_mu", lang), _n(p.investment_per_mu)),
        (t("rpt_tax_per_mu", lang), _n(p.tax_per_mu)),
        (t("rpt_chemical", lang), t("yes" if p.chemical else "no", lang)),
    ]
    return _table(pd.DataFrame(rows, columns=[t("rep_item", lang), t("rep_value", lang)]), (1, 2))


def _parameters(report: StudyReport) -> list[Block]:
    r, lang = report.result, report.lang
    c = r.config
    out = [Block("para", t("rpt_parameters_title", lang).format(title=c.title if lang == "zh" else c.title_en))]
    if report.ahp is not None:
        a = report.ahp
        state = t("rpt_ahp_ok" if a.consistent else "rpt_ahp_bad", lang)
        out.append(Block("para", t("rpt_ahp", lang).format(cr=a.cr, state=state)))
        warning = a.warning()
        if warning is not None:
            out.append(Block("note", warning[0 if lang == "zh" else 1]))
    else:
        out.append(Block("para", t("rpt_weights_manual", lang)))
    weights = pd.DataFrame({t("rpt_factor", lang): [t(f"factor_{f}", lang) for f in FACTORS if f in r.weights],
                            t("rpt_points", lang): [_n(r.weights[f]) for f in FACTORS if f in r.weights]})  # fmt: skip
    out.append(_table(weights, (2, 1)))
    std = [(t(f"site_std_{k}", lang), _n(v)) for k, v in c.standard_land.items()]
    std += [(t("corridor_width", lang), _n(report.corridor_km)), (t("rpt_speed", lang), _n(c.speed_kmh, 0)),
            (t("rpt_access_speed", lang), _n(c.access_speed_kmh, 0))]  # fmt: skip
    out.append(_table(pd.DataFrame(std, columns=[t("rep_item", lang), t("rep_value", lang)]), (2, 1)))
    return out


def _ranking(r: SiteResult, lang: str, top_plots: int) -> list[Block]:
    yes_no = {True: "✓", False: "✗"}
    c = r.clusters
    clusters = pd.DataFrame({
        t("site_rank", lang): c["rank"].astype(int),
        t("site_name", lang): c["name"],
        t("site_score", lang): c["score"].map(_n),
        t("site_verdict", lang): c["compliant"].astype(bool).map(yes_no),
        t("site_fit", lang): c["fit_level"].map(lambda v: t(f"fit_{v}", lang)),
        t("site_free_land", lang): c["free_land_mu"].map(lambda v: _n(v, 0)),
        t("site_axis_km", lang): c["axis_km"].map(_n),
    })  # fmt: skip
    out = [Block("heading", t("rpt_h_clusters", lang)), _table(clusters, (0.6, 3.2, 0.8, 0.6, 1.4, 1.1, 1.0))]
    p = r.plots.head(top_plots)
    if len(p):
        plots = pd.DataFrame({
            t("site_rank", lang): "P" + p["rank"].astype(int).astype(str),
            t("site_name", lang): p["name"],
            t("site_cluster", lang): p["cluster"].fillna(""),
            t("site_area", lang): p["area_mu"].map(lambda v: _n(v, 0)),
            t("site_score", lang): p["score"].map(_n),
            t("site_verdict", lang): p["compliant"].astype(bool).map(yes_no),
        })  # fmt: skip
        out += [
            Block("heading", t("rpt_h_plots", lang).format(k=len(p))),
            _table(plots, (0.7, 2.6, 2.8, 0.9, 0.8, 0.6)),
        ]
    return out


def _reasons(r: SiteResult, lang: str) -> list[Block]:
    out = [Block("heading", t("rpt_h_reasons", lang))]
    for frame, prefix in ((r.clusters, ""), (r.plots, "P")):
        for row in frame.head(REASON_ROWS).itertuples():
            verdict = t("site_compliant" if row.compliant else "site_not_compliant", lang)
            out.append(Block("para", f"{prefix}{int(row.rank)}. {row.name} · {_n(row.score)} · {verdict}"))
            lines = render_all([*row.failures, *row.reasons], lang)
            if lines:
                out.append(Block("bullets", items=tuple(lines)))
    return out


def _stability(s: Sensitivity, lang: str) -> list[Block]:
    out = [Block("heading", t("rpt_h_stability", lang))]
    tau = s.summary()["tau_clusters"]
    out.append(Block("para", t("rpt_stability", lang).format(draws=s.draws, spread=100 * s.spread,
                                                             mean=tau["mean"] or 1.0, p05=tau["p05"] or 1.0)))  # type: ignore[index]  # fmt: skip
    c = s.clusters.head(8)
    table = pd.DataFrame({
        t("site_rank", lang): c["rank"].astype(int),
        t("site_name", lang): c["name"],
        t("rpt_top1", lang): c["top1_share"].map(lambda v: f"{v:.0%}"),
        t("rpt_top3", lang): c["top3_share"].map(lambda v: f"{v:.0%}"),
        t("rpt_rank_range", lang): [f"{int(a)}–{int(b)}" for a, b in zip(c["rank_min"], c["rank_max"], strict=True)],
    })  # fmt: skip
    out.append(_table(table, (0.6, 3.4, 1, 1, 1)))
    return out


def _scenarios(cmp: Comparison, lang: str) -> list[Block]:
    out = [Block("heading", t("rpt_h_scenarios", lang))]
    taus = tau_text(cmp, lang)
    out.append(Block("para", t("rpt_scenarios", lang).format(base=cmp.names[0], taus=taus)))
    for name, moved in zip(cmp.names[1:], cmp.first_changes()[1:], strict=True):
        if moved:
            out.append(Block("note", t("scn_first_changes", lang).format(name=name)))
    table = comparison_table(cmp, lang)
    frame = cmp.clusters.reset_index(drop=True)
    marked = frozenset((r, 1 + 2 * i) for i in range(1, len(cmp.names)) for r in range(len(frame))
                       if frame[f"change_{i}"].iloc[r] != 0)  # fmt: skip
    out.append(_table(table, (3, *([1.2, 0.9] * len(cmp.names))), marked))
    return out


def report_blocks(report: StudyReport) -> list[Block]:
    """The report's contents in order (see the module docstring)."""
    r, lang = report.result, report.lang
    p = r.project
    out = [
        Block("title", t("rpt_title", lang)),
        Block("subtitle", t("rpt_subtitle", lang).format(term=p.term, land=_n(p.land_mu, 0), date=report.date)),
    ]
    for note in render_all(r.samples, lang):  # sample data said first, where nobody can miss it
        out.append(Block("note", note))
    out += [Block("heading", t("rpt_h_project", lang)), _project(r, lang)]
    out += [Block("heading", t("rpt_h_parameters", lang)), *_parameters(report)]
    if report.maps:
        out.append(Block("heading", t("rpt_h_maps", lang)))
        out += [Block("image", caption, image=png) for caption, png in report.maps]
    out += _ranking(r, lang, report.top_plots)
    out += _reasons(r, lang)
    if report.stability is not None:
        out += _stability(report.stability, lang)
    if report.comparison is not None:
        out += _scenarios(report.comparison, lang)
    out.append(Block("heading", t("rpt_h_quality", lang)))
    notes = [*render_all([n for n in r.notes if n not in r.samples], lang), *report.quality]
    notes += [t("rpt_roads_note", lang), t("rpt_not_official", lang)]
    out.append(Block("bullets", items=tuple(notes)))
    out.append(Block("note", t("rpt_footer", lang).format(date=report.date)))
    return _numbered(out, lang)


_ZH_NUMBERS = "一二三四五六七八九十"


def _numbered(blocks: list[Block], lang: str) -> list[Block]:
    """Section headings numbered in order (一、二、… or 1. 2. …): sections left out leave no gap."""
    out, n = [], 0
    for b in blocks:
        if b.kind == "heading":
            label = f"{_ZH_NUMBERS[n]}、" if lang == "zh" else f"{n + 1}. "
            b = Block("heading", label + b.text)
            n += 1
        out.append(b)
    return out


# ---- DOCX -------------------------------------------------------------------------------------------


def docx_bytes(blocks: Sequence[Block], title: str = "") -> bytes:
    """The blocks as a Word document (A4 portrait, 2 cm margins)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "List Bullet", "Caption"):
        set_cjk_font(doc.styles[name])
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = title
    doc.core_properties.author = "Qingdao Manufacturing Layout Planner"
    for b in blocks:
        if b.kind == "title":
            doc.add_heading(cell_text(b.text), level=0)
        elif b.kind == "subtitle":
            doc.add_paragraph(cell_text(b.text), style="Subtitle")
        elif b.kind == "heading":
            doc.add_heading(cell_text(b.text), level=1)
        elif b.kind == "para":
            doc.add_paragraph(cell_text(b.text))
        elif b.kind == "note":
            run = doc.add_paragraph().add_run(cell_text(b.text))
            run.italic = True
            run.font.color.rgb = RGBColor(0x92, 0x40, 0x0E)
        elif b.kind == "bullets":
            for item in b.items:
                doc.add_paragraph(cell_text(item), style="List Bullet")
        elif b.kind == "table":
            table = add_table(doc, b.header, b.rows, b.marked)
            if b.widths:  # Word reads the cells' widths, LibreOffice and WPS the table grid: set both
                table.autofit = False
                total = sum(b.widths)
                grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
                for column, col, w in zip(table.columns, grid, b.widths, strict=True):
                    width = Cm(17.0 * w / total)
                    col.set(qn("w:w"), str(int(width.twips)))
                    for cell in column.cells:
                        cell.width = width
            doc.add_paragraph()
        elif b.kind == "image":
            doc.add_picture(io.BytesIO(b.image), width=Cm(17.0))
            doc.add_paragraph(cell_text(b.text), style="Caption")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---- PDF --------------------------------------------------------------------------------------------

_PAGE_MM = (210.0, 297.0)
_MARGIN_MM = 18.0
_PT_MM = 25.4 / 72
_SIZES = {"title": 20.0, "subtitle": 11.0, "heading": 13.0, "para": 10.0, "bullets": 10.0, "note": 9.0, "table": 8.0}


def _em(ch: str) -> float:
    """Width of a character in ems: full width for CJK, about half for Latin (Noto Sans)."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.56


def _wrap(text: str, width_mm: float, size_pt: float) -> list[str]:
    """Lines of ``text`` no wider than ``width_mm`` at ``size_pt`` (breaking Latin at spaces where it can)."""
    limit = width_mm / (size_pt * _PT_MM)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used, space = "", 0.0, -1
        for ch in paragraph:
            w = _em(ch)
            if used + w > limit and line:
                if space > 0 and not ch.isspace() and unicodedata.east_asian_width(ch) not in ("W", "F"):
                    lines.append(line[:space].rstrip())
                    line = line[space + 1 :]
                else:
                    lines.append(line.rstrip())
                    line = ""
                used, space = sum(_em(c) for c in line), -1
                if ch.isspace() and not line:
                    continue
            if ch == " ":
                space = len(line)
            line += ch
            used += w
        lines.append(line.rstrip())
    return lines


class _Pages:
    """Writes blocks onto A4 pages from the top, breaking pages where needed."""

    def __init__(self, pdf, font, title: str, lang: str, date: str) -> None:
        self.pdf, self.font, self.title, self.lang, self.date = pdf, font, title, lang, date
        self.fig: Any = None
        self.pending = ""  # a heading to write at the top of the next map page
        self.y = 0.0
        self.page = 0

    def _text(self, x_mm: float, y_mm: float, text: str, size: float, **kw) -> None:
        w, h = _PAGE_MM
        self.fig.text(x_mm / w, 1 - y_mm / h, text, fontsize=size, fontproperties=self.font, va="top", **kw)

    def _new_page(self) -> None:
        from matplotlib.figure import Figure

        self._close()
        self.fig = Figure(figsize=(_PAGE_MM[0] / 25.4, _PAGE_MM[1] / 25.4))
        self.page += 1
        self.y = _MARGIN_MM

    def _close(self) -> None:
        if self.fig is None:
            return
        footer = f"{self.title} · {self.date} · {self.page}"
        self._text(_MARGIN_MM, _PAGE_MM[1] - 10, footer, 7.5, color="#6b7280")
        self.pdf.savefig(self.fig)
        self.fig = None

    def _room(self, height_mm: float) -> None:
        if self.fig is None or self.y + height_mm > _PAGE_MM[1] - _MARGIN_MM:
            self._new_page()

    def lines(self, text: str, size: float, indent: float = 0.0, gap: float = 1.6, **kw) -> None:
        width = _PAGE_MM[0] - 2 * _MARGIN_MM - indent
        step = size * _PT_MM * 1.5
        for line in _wrap(text, width, size):
            self._room(step)
            self._text(_MARGIN_MM + indent, self.y, line, size, **kw)
            self.y += step
        self.y += gap

    def table(self, b: Block) -> None:
        from matplotlib.patches import Rectangle

        size = _SIZES["table"]
        step = size * _PT_MM * 1.45
        width = _PAGE_MM[0] - 2 * _MARGIN_MM
        rel = np.asarray(b.widths if b.widths else [1.0] * len(b.header), dtype=float)
        cols = width * rel / rel.sum()
        lefts = _MARGIN_MM + np.concatenate([[0.0], np.cumsum(cols)[:-1]])

        def row(cells: Sequence[str], header: bool, marks: set[int]) -> None:
            wrapped = [_wrap(c, w - 2.0, size) for c, w in zip(cells, cols, strict=True)]
            height = max(len(w) for w in wrapped) * step + 1.6
            if self.fig is None or self.y + height > _PAGE_MM[1] - _MARGIN_MM:
                self._new_page()
                if not header:
                    row(b.header, True, set())
            pw, ph = _PAGE_MM
            for k, (left, w) in enumerate(zip(lefts, cols, strict=True)):
                fill = "#e5e7eb" if header else ("#fde68a" if k in marks else "white")
                self.fig.add_artist(Rectangle((left / pw, 1 - (self.y + height) / ph), w / pw, height / ph,
                                              transform=self.fig.transFigure, facecolor=fill, edgecolor="#9ca3af",
                                              linewidth=0.4))  # fmt: skip
                for j, line in enumerate(wrapped[k]):
                    self._text(left + 1.0, self.y + 0.8 + j * step, line, size,
                               fontweight="bold" if header else "normal")  # fmt: skip
            self.y += height

        row(b.header, True, set())
        for r, cells in enumerate(b.rows):
            row(cells, False, {c for (rr, c) in b.marked if rr == r})
        self.y += 3.0

    def image(self, b: Block) -> None:
        """A map sheet on a page of its own, A4 landscape, the caption under it."""
        from matplotlib.figure import Figure
        from matplotlib.image import imread

        self._close()
        fig = Figure(figsize=(_PAGE_MM[1] / 25.4, _PAGE_MM[0] / 25.4))
        ax = fig.add_axes((0.0, 0.05, 1.0, 0.89))  # the top strip: the section heading
        ax.imshow(imread(io.BytesIO(b.image), format="png"), interpolation="none")  # embedded as it is: no resampling
        ax.set_axis_off()
        self.page += 1
        if self.pending:
            fig.text(0.05, 0.975, self.pending, fontsize=_SIZES["heading"], fontproperties=self.font, va="top",
                     fontweight="bold", color="#1f2937")  # fmt: skip
            self.pending = ""
        fig.text(0.05, 0.03, f"{b.text}    {self.title} · {self.date} · {self.page}", fontsize=8,
                 fontproperties=self.font, color="#374151")  # fmt: skip
        self.pdf.savefig(fig)
        self.fig = None

    def finish(self) -> None:
        self._close()


def pdf_bytes(blocks: Sequence[Block], title: str, lang: str, date: str) -> bytes:
    """The blocks as a PDF: A4 portrait pages, maps on landscape pages, the CJK font embedded (TrueType).

    Raises
    ------
    webmap.print_layout.PrintError
        No Chinese font on the server for a Chinese report.
    """
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.font_manager import FontProperties

    from webmap.print_layout import PrintError, cjk_font

    path = cjk_font()
    if path is None and lang == "zh":
        raise PrintError("服务器缺少中文字体（Debian 软件包 fonts-noto-cjk），无法生成中文报告 / "
                         "no Chinese font on the server (Debian package fonts-noto-cjk)")  # fmt: skip
    font = FontProperties(fname=path) if path else FontProperties()
    out = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(out, metadata={
            "Title": title, "Creator": "Qingdao Manufacturing Layout Planner"}) as pdf:  # fmt: skip
        pages = _Pages(pdf, font, title, lang, date)
        for k, b in enumerate(blocks):
            if b.kind == "heading" and k + 1 < len(blocks) and blocks[k + 1].kind == "image":
                pages.pending = b.text  # kept with what follows: the title of the map page
                continue
            size = _SIZES.get(b.kind, 10.0)
            if b.kind == "title":
                pages.lines(b.text, size, gap=2.0, fontweight="bold")
            elif b.kind == "subtitle":
                pages.lines(b.text, size, gap=4.0, color="#374151")
            elif b.kind == "heading":
                pages._room(30.0)  # no heading alone at the foot of a page
                pages.y += 3.0
                pages.lines(b.text, size, gap=2.0, fontweight="bold", color="#1f2937")
            elif b.kind == "para":
                pages.lines(b.text, size)
            elif b.kind == "note":
                pages.lines(b.text, size, color="#92400e", style="italic")
            elif b.kind == "bullets":
                for item in b.items:
                    pages.lines("• " + item, size, indent=3.0, gap=0.6)
                pages.y += 1.5
            elif b.kind == "table":
                pages.table(b)
            elif b.kind == "image":
                pages.image(b)
        pages.finish()
    return out.getvalue()


# ---- maps and the whole report ----------------------------------------------------------------------


def report_maps(
    result: SiteResult, data: SitingMapData, land: Any, context: gpd.GeoDataFrame | None, lang: str, date: str,
    dpi: int = 150,
) -> list[tuple[str, bytes]]:  # fmt: skip
    """The overview map (the city, clusters by score with their ranks) and, when plots are ranked, a detail map
    of the recommended plots (P1 …), as A4 landscape sheets in PNG with legend, scale bar and north arrow."""
    from webmap.print_layout import PrintSheet, print_map
    from webmap.siting_map import siting_print_layers

    p = result.project
    title = t("rpt_subtitle", lang).format(term=p.term, land=_n(p.land_mu, 0), date=date)
    notes = [*render_all(result.samples, lang), "© OpenStreetMap contributors (ODbL)"]
    sheet = PrintSheet(title, date, notes, lang)
    maps = [(t("rpt_map_overview", lang),
             print_map(siting_print_layers(result, data, lang), sheet, land, context, fmt="png", dpi=dpi))]  # fmt: skip
    top = result.plots.head(data.top_plots)
    if len(top):
        x0, y0, x1, y1 = top.total_bounds
        pad = max(x1 - x0, y1 - y0) * 0.15 + 0.01  # degrees: at least ≈ 1 km around the plots
        extent = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
        png = print_map(siting_print_layers(result, data, lang, plot_labels=True), sheet, land, context, fmt="png",
                        dpi=dpi, extent=extent)  # fmt: skip
        maps.append((t("rpt_map_detail", lang), png))
    return maps


def study_report(report: StudyReport, fmt: Literal["docx", "pdf"]) -> bytes:
    """The report as DOCX or PDF bytes."""
    blocks = report_blocks(report)
    title = f"{t('rpt_title', report.lang)} · {report.result.project.term}"
    if fmt == "docx":
        return docx_bytes(blocks, title)
    if fmt == "pdf":
        return pdf_bytes(blocks, title, report.lang, report.date)
    raise ValueError(f"报告格式须为 docx 或 pdf / the report must be docx or pdf, not {fmt!r}")


def write_study_report(out: Path, report: StudyReport) -> None:
    """Write the report by the suffix of ``out`` (.docx or .pdf), atomically.

    Raises
    ------
    ValueError
        Another suffix.
    GeoIOError
        The file cannot be written (bilingual message naming ``out``).
    """
    writers = {".docx": lambda: study_report(report, "docx"), ".pdf": lambda: study_report(report, "pdf")}
    write_by_suffix(out, writers, ("报告", "the report"))
