"""Print the map: a sheet of A4 or A3 paper as PDF or PNG, rendered on the server, offline.

A planner takes maps to meetings and into reports; a screenshot of the browser has no scale, no
north arrow, no date and cuts the legend. :func:`print_map` lays out what GIS print layouts have:
title, the map in EPSG:4549 (metres, so that the scale bar is exact), the legend, a scale bar, a
north arrow, the data-quality notes and the date. The layers are drawn with the same Leaflet style
dictionaries as the web map (``color``, ``weight``, ``fillColor``, ``fillOpacity``, ``dashArray``,
``radius``), so a colour means the same on paper as on screen.

Pure presentation: GeoDataFrames and texts in, bytes out; no Streamlit, no network, no file
written. Chinese text needs a CJK font on the server (Noto Sans/Serif CJK, Source Han,
WenQuanYi); without one :class:`PrintError` says so.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import to_metric

__all__ = ["PAPER_MM", "PrintError", "PrintLayer", "PrintSheet", "cjk_font", "has_cjk_font", "map_frame",
           "nice_length", "print_map"]  # fmt: skip

PAPER_MM = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}  # landscape, ISO 216
SEA_COLOUR = "#cfe0ec"
LAND = {"color": "#c8c1ad", "weight": 0.6, "fillColor": "#f6f3ea", "fillOpacity": 1.0}
CONTEXT = {"color": "#d4d0c6", "weight": 0.5, "fillColor": "#e9e7e1", "fillOpacity": 1.0}
# Simplified-Chinese faces first; a .ttc collection (Debian's fonts-noto-cjk) is read by matplotlib as its
# first face, "Noto Sans CJK JP", which has every Chinese character (a few drawn in Japanese style).
_CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Serif CJK SC", "Source Han Serif SC",
                 "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Sans CJK JP", "Noto Serif CJK JP",
                 "Droid Sans Fallback")  # fmt: skip
_PT_PER_PX = 0.75  # a Leaflet pixel (1/96 in) in points (1/72 in)
_PANEL = 0.25  # the right-hand panel (legend and notes), as a fraction of the page width

Style = Mapping[str, Any]


class PrintError(ValueError):
    """The sheet cannot be printed (bilingual message)."""


@dataclass(frozen=True)
class PrintLayer:
    """One layer on the printed map.

    Attributes
    ----------
    gdf : GeoDataFrame
        Features in any CRS (drawn in EPSG:4549).
    title : str
        Its legend entry (when ``legend`` is empty).
    style : mapping or callable
        A Leaflet style dictionary; a function of a feature's row returning one; or, with ``by``,
        a mapping of the values of column ``by`` to styles (fast for many features).
    legend : sequence of (label, style), optional
        Legend entries for a layer of several styles (e.g. firms by class); None: one entry (the title);
        empty: none (a layer drawn over another that has the entry).
    by : str, optional
        The column whose value chooses the style.
    label : str, optional
        A column whose text is written on each feature (at its representative point), e.g. ranks.
    """

    gdf: gpd.GeoDataFrame
    title: str
    style: Style | Callable[[pd.Series], Style] | Mapping[Any, Style]
    legend: Sequence[tuple[str, Style]] | None = None
    by: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class PrintSheet:
    """What surrounds the map on the sheet.

    Attributes
    ----------
    title : str
    date : str
        As printed (the caller's local date: this module reads no clock).
    notes : sequence of str
        Data quality, sources and licences, one line each (printed under the legend).
    lang : {"zh", "en"}
    paper : {"A4", "A3"}
        Landscape.
    """

    title: str
    date: str
    notes: Sequence[str] = field(default_factory=tuple)
    lang: str = "zh"
    paper: str = "A4"


@cache
def _cjk_font() -> str | None:
    """Path of a font with Chinese glyphs, or None."""
    from matplotlib import font_manager

    for family in _CJK_FAMILIES:
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        return str(path)
    return None


def cjk_font() -> str | None:
    """Path of the font this server writes Chinese with (Noto Sans CJK …), or None."""
    return _cjk_font()


def has_cjk_font() -> bool:
    """Whether this server can print Chinese text."""
    return _cjk_font() is not None


def nice_length(span_m: float) -> float:
    """The longest 1, 2 or 5 × 10ⁿ metres that fits in ``span_m`` (a scale bar's length).

    Examples
    --------
    >>> nice_length(23_000), nice_length(7_400), nice_length(180)
    (20000.0, 5000.0, 100.0)
    """
    if not span_m > 0:
        raise ValueError("span_m must be positive")
    power = 10.0 ** math.floor(math.log10(span_m))
    if power > span_m:  # log10 rounded up (999999999.9999999 → 9.0)
        power /= 10
    return float(max(m * power for m in (1, 2, 5) if m * power <= span_m))


def map_frame(paper: str) -> tuple[float, float, float, float]:
    """The map's frame on the sheet: left, bottom, width, height as fractions of the page.

    10 mm margins, the title above (22 mm), date and CRS below (14 mm), the legend and notes on the
    right (a quarter of the width).

    Examples
    --------
    >>> [round(v, 3) for v in map_frame("A4")]
    [0.034, 0.067, 0.683, 0.829]
    """
    width_mm, height_mm = PAPER_MM[paper]
    margin = 10 / width_mm
    top = 1 - 22 / height_mm
    return margin, 14 / height_mm, 1 - 2 * margin - _PANEL, top - 14 / height_mm


def _mpl_style(style: Style, kind: str) -> dict[str, Any]:
    """matplotlib keywords for a Leaflet style dictionary."""
    colour = style.get("color", "#3388ff")
    weight = float(style.get("weight", 3)) * _PT_PER_PX
    dash = style.get("dashArray")
    linestyle: Any = "solid"
    if dash:
        parts = [float(x) * _PT_PER_PX / max(weight, 0.1) for x in str(dash).replace(",", " ").split()]
        linestyle = (0, tuple(parts)) if parts else "solid"
    if kind == "line":
        return {"color": colour, "linewidth": weight, "alpha": float(style.get("opacity", 1.0)),
                "linestyle": linestyle}  # fmt: skip
    fill = style.get("fillColor", colour) if style.get("fill", True) else "none"
    out = {"facecolor": fill, "edgecolor": colour, "linewidth": weight if style.get("stroke", True) else 0,
           "linestyle": linestyle}  # fmt: skip
    if fill != "none":
        out["facecolor"] = _with_alpha(fill, float(style.get("fillOpacity", 0.2)))
    if kind == "point":
        out["radius"] = float(style.get("radius", 4))
    return out


def _with_alpha(colour: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    r, g, b, _ = to_rgba(colour)
    return (r, g, b, alpha)


def _kind(gdf: gpd.GeoDataFrame) -> str:
    types = set(gdf.geom_type.dropna())
    if types <= {"Point", "MultiPoint"}:
        return "point"
    if types <= {"LineString", "MultiLineString"}:
        return "line"
    return "polygon"


def _draw(ax: Any, gdf: gpd.GeoDataFrame, style: Any, by: str | None = None) -> None:
    from matplotlib.collections import LineCollection, PatchCollection
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MPath

    if gdf.empty:
        return
    kind = _kind(gdf)
    groups: list[tuple[Style, np.ndarray]] = []
    if by is not None:
        codes, values = pd.factorize(gdf[by])
        groups = [(style[v], np.flatnonzero(codes == k)) for k, v in enumerate(values)]
    elif callable(style):
        found: dict[str, tuple[Style, list[int]]] = {}
        for i, (_, row) in enumerate(gdf.iterrows()):
            s = dict(style(row))
            found.setdefault(repr(sorted(s.items())), (s, []))[1].append(i)
        groups = [(s, np.asarray(members)) for s, members in found.values()]
    else:
        groups = [(style, np.arange(len(gdf)))]
    for first, members in groups:
        kw = _mpl_style(first, kind)
        geoms = gdf.geometry.iloc[members]
        if kind == "point":
            pts = shapely.get_coordinates(geoms.values)
            size = (2 * kw.pop("radius") * _PT_PER_PX) ** 2
            ax.scatter(pts[:, 0], pts[:, 1], s=size, c=[kw["facecolor"]], edgecolors=kw["edgecolor"],
                       linewidths=kw["linewidth"], zorder=3)  # fmt: skip
        elif kind == "line":
            parts = shapely.get_parts(shapely.line_merge(geoms.values))
            ax.add_collection(LineCollection([np.asarray(p.coords)[:, :2] for p in parts], zorder=2, **kw))
        else:
            patches = []
            for poly in shapely.get_parts(geoms.values):
                if poly.is_empty or poly.geom_type != "Polygon":
                    continue
                rings = [poly.exterior, *poly.interiors]
                verts = np.concatenate([np.asarray(r.coords)[:, :2] for r in rings])
                codes = np.concatenate([[MPath.MOVETO] + [MPath.LINETO] * (len(r.coords) - 2) + [MPath.CLOSEPOLY]
                                        for r in rings])  # fmt: skip
                patches.append(PathPatch(MPath(verts, codes)))
            ax.add_collection(PatchCollection(patches, match_original=False, zorder=1, **kw))


def _labels(ax: Any, gdf: gpd.GeoDataFrame, column: str) -> None:
    """The text of ``column`` on each feature, dark on a white halo (readable on any fill)."""
    from matplotlib import patheffects

    points = shapely.point_on_surface(gdf.geometry.to_numpy())
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for p, text in zip(points, gdf[column].astype(str), strict=True):
        ax.text(p.x, p.y, text, ha="center", va="center", fontsize=7, fontweight="bold", color="#111827",
                path_effects=halo, zorder=7, clip_on=True)  # fmt: skip


def _legend_handle(style: Style, kind: str) -> Any:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    kw = _mpl_style(style, kind)
    if kind == "line":
        return Line2D([], [], **kw)
    if kind == "point":
        return Line2D([], [], marker="o", linestyle="none", markersize=2 * kw["radius"] * _PT_PER_PX,
                      markerfacecolor=kw["facecolor"], markeredgecolor=kw["edgecolor"],
                      markeredgewidth=kw["linewidth"])  # fmt: skip
    return Patch(facecolor=kw["facecolor"], edgecolor=kw["edgecolor"], linewidth=kw["linewidth"],
                 linestyle=kw["linestyle"])  # fmt: skip


def _scale_bar(ax: Any, lang: str, frame_width_mm: float) -> None:
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    denominator = (x1 - x0) / (frame_width_mm / 1000)  # metres on the ground per metre on paper
    ratio = f"1:{round(denominator, 2 - math.floor(math.log10(denominator))):,.0f}"  # three significant digits
    label = f"比例尺 {ratio}（按原尺寸打印）" if lang == "zh" else f"Scale {ratio} (printed at 100 %)"
    length = nice_length((x1 - x0) * 0.22)
    left, base, height = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.04, (y1 - y0) * 0.008
    for k in range(4):  # four segments, alternately filled
        ax.add_patch(Rectangle((left + k * length / 4, base), length / 4, height, edgecolor="black", linewidth=0.5,
                               facecolor="black" if k % 2 == 0 else "white", zorder=6))  # fmt: skip
    ax.text(left, base - height * 1.5, label, ha="left", va="top", fontsize=6.5, zorder=6)
    unit, div = ("km", 1000.0) if length >= 1000 else ("m", 1.0)
    for k in (0, 2, 4):
        value = length * k / 4 / div
        label = f"{value:g}" + (f" {unit}" if k == 4 else "")
        ax.text(left + length * k / 4, base + height * 1.8, label, ha="center", va="bottom", fontsize=7, zorder=6)


def _north_arrow(ax: Any, lang: str) -> None:
    # Grid north of EPSG:4549 (central meridian 120° E): within 0.8° of true north across Qingdao.
    ax.annotate("", xy=(0.95, 0.95), xytext=(0.95, 0.87), xycoords="axes fraction",
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.2}, zorder=6)  # fmt: skip
    ax.text(0.95, 0.955, "北 N" if lang == "zh" else "N", transform=ax.transAxes, ha="center", va="bottom",
            fontsize=9, fontweight="bold", zorder=6)  # fmt: skip


def print_map(
    layers: Sequence[PrintLayer],
    sheet: PrintSheet,
    land: shapely.Geometry,
    context: gpd.GeoDataFrame | None = None,
    fmt: Literal["pdf", "png"] = "pdf",
    dpi: int = 200,
    extent: tuple[float, float, float, float] | None = None,
) -> bytes:
    """The sheet as PDF (vector) or PNG bytes.

    Parameters
    ----------
    layers : sequence of PrintLayer
        Bottom to top.
    sheet : PrintSheet
        Title, date, notes, language and paper.
    land : shapely geometry (EPSG:4326)
        Qingdao's land, drawn as the base; the map shows it whole unless ``extent`` is given.
    context : GeoDataFrame, optional
        Neighbouring land (EPSG:4326).
    fmt : {"pdf", "png"}
    dpi : int
        Resolution of a PNG (dots per inch; 200 on A4 = 2339 × 1654 px).
    extent : (min lon, min lat, max lon, max lat), optional
        The area to show (WGS84 degrees), e.g. the browser's current view.

    Raises
    ------
    PrintError
        Unknown paper or format, or no Chinese font for a Chinese sheet.
    """
    if sheet.paper not in PAPER_MM:
        raise PrintError(f"纸张须为 A4 或 A3 / paper must be A4 or A3, not {sheet.paper!r}")
    if fmt not in ("pdf", "png"):
        raise PrintError(f"格式须为 PDF 或 PNG / format must be pdf or png, not {fmt!r}")
    if not 50 <= dpi <= 600:
        raise PrintError(f"分辨率须在 50–600 dpi / dpi must be 50–600, not {dpi}")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_pdf import FigureCanvasPdf
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    font = _cjk_font()
    if font is None and sheet.lang == "zh":
        raise PrintError("服务器缺少中文字体（如 Noto Sans CJK，Debian 软件包 fonts-noto-cjk），无法打印中文地图 / "
                         "no Chinese font on the server (e.g. Debian package fonts-noto-cjk)")  # fmt: skip
    rc = {"font.family": FontProperties(fname=font).get_name()} if font else {}
    import matplotlib

    width_mm, height_mm = PAPER_MM[sheet.paper]
    with matplotlib.rc_context({**rc, "pdf.fonttype": 42, "axes.unicode_minus": False}):
        if font:
            from matplotlib import font_manager

            font_manager.fontManager.addfont(font)
        fig = Figure(figsize=(width_mm / 25.4, height_mm / 25.4))
        (FigureCanvasPdf if fmt == "pdf" else FigureCanvasAgg)(fig)
        frame = map_frame(sheet.paper)
        margin, top, panel = frame[0], frame[1] + frame[3], _PANEL
        ax = fig.add_axes(frame)
        ax.set_facecolor(SEA_COLOUR)
        ax.set_xticks([])
        ax.set_yticks([])
        land_m = to_metric(gpd.GeoSeries([land], crs=4326))
        if extent is not None:
            box = to_metric(gpd.GeoSeries([shapely.box(*extent)], crs=4326)).total_bounds
        else:
            box = land_m.total_bounds
        _fit(ax, box, fig)
        if context is not None and not context.empty:
            _draw(ax, to_metric(context), CONTEXT)
        _draw(ax, gpd.GeoDataFrame(geometry=land_m), LAND)
        handles, labels = [], []
        for layer in layers:
            gdf = to_metric(layer.gdf) if layer.gdf.crs is not None else layer.gdf
            _draw(ax, gdf, layer.style, layer.by)
            if layer.label is not None and not gdf.empty:
                _labels(ax, gdf, layer.label)
            kind = _kind(gdf) if not gdf.empty else "polygon"
            default = [(layer.title, {} if callable(layer.style) or layer.by else layer.style)]
            entries = default if layer.legend is None else layer.legend
            for label, style in entries:
                handles.append(_legend_handle(style, kind))
                labels.append(label)
        _scale_bar(ax, sheet.lang, frame[2] * width_mm)
        _north_arrow(ax, sheet.lang)
        fig.text(margin, 1 - 8 / height_mm, sheet.title, fontsize=16 if sheet.paper == "A4" else 20,
                 fontweight="bold", va="top")  # fmt: skip
        crs_note = "坐标系：CGCS2000 / 3 度带高斯-克吕格 CM 120°E（EPSG:4549）" if sheet.lang == "zh" else (
            "CRS: CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549)")  # fmt: skip
        fig.text(margin, 6 / height_mm, f"{sheet.date} · {crs_note}", fontsize=7, va="bottom", color="#333333")
        legend_x = 1 - margin - panel + 0.015
        if handles:
            fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(legend_x, top), frameon=False,
                       fontsize=8 if sheet.paper == "A4" else 10, title="图例" if sheet.lang == "zh" else "Legend",
                       title_fontproperties={"weight": "bold"}, alignment="left")  # fmt: skip
        if sheet.notes:
            import textwrap

            width = 30 if sheet.lang == "zh" else 58
            text = "\n".join(line for note in sheet.notes for line in textwrap.wrap(note, width))
            fig.text(legend_x, 14 / height_mm, text, fontsize=6.5, va="bottom", color="#333333", linespacing=1.4)
        out = io.BytesIO()
        fig.savefig(out, format=fmt, dpi=dpi, metadata=_metadata(sheet, fmt))
    return out.getvalue()


def _metadata(sheet: PrintSheet, fmt: str) -> dict[str, str]:
    if fmt == "pdf":
        return {"Title": sheet.title, "Creator": "Qingdao Manufacturing Layout Planner"}
    return {"Title": sheet.title, "Software": "Qingdao Manufacturing Layout Planner"}


def _fit(ax: Any, box: np.ndarray, fig: Any) -> None:
    """Show ``box`` (metres) whole, padded 3 %, at the frame's aspect (equal scale on both axes)."""
    x0, y0, x1, y1 = (float(v) for v in box)
    pad = 0.03 * max(x1 - x0, y1 - y0, 1.0)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    frame_w, frame_h = ax.get_position().width * fig.get_figwidth(), ax.get_position().height * fig.get_figheight()
    want = frame_w / frame_h
    w, h = x1 - x0, y1 - y0
    if w / h < want:  # too tall: widen
        cx, w = (x0 + x1) / 2, h * want
        x0, x1 = cx - w / 2, cx + w / 2
    else:
        cy, h = (y0 + y1) / 2, w / want
        y0, y1 = cy - h / 2, cy + h / 2
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
