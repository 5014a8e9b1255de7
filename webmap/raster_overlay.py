"""Raster surfaces on the web map: warped to Web Mercator, coloured, embedded as a PNG overlay.

Used for the 亩产效益 surface and the siting suitability raster (both :class:`analysis.surface.Surface`
in EPSG:4549). The image travels inside the page (no tile server), with a gradient legend.
"""

from __future__ import annotations

import base64
import html
import io

import folium
import numpy as np
from PIL import Image
from rasterio.warp import Resampling, calculate_default_transform, reproject, transform_bounds

from analysis.surface import Surface
from geo.chinacoords import convert
from webmap.palette import SEQUENTIAL

__all__ = ["RAMP", "add_raster_overlay", "fmt_number", "surface_png"]

RAMP = SEQUENTIAL  # viridis: every quantity on every map (webmap.palette)


def surface_png(surface: Surface, vmin: float | None = None, vmax: float | None = None) -> tuple[str, list, tuple]:
    """The surface warped to EPSG:3857 and coloured, as a PNG data URL.

    Returns
    -------
    (data_url, bounds, (vmin, vmax))
        ``bounds`` is ``[[south, west], [north, east]]`` in WGS84 degrees for Leaflet.
    """
    rows, cols = surface.values.shape
    left, bottom, right, top = surface.bounds
    dst_transform, width, height = calculate_default_transform(
        surface.crs, "EPSG:3857", cols, rows, left, bottom, right, top
    )
    merc = np.full((height, width), np.nan, dtype=np.float32)
    reproject(
        surface.values, merc, src_transform=surface.transform, src_crs=surface.crs, dst_transform=dst_transform,
        dst_crs="EPSG:3857", resampling=Resampling.nearest, src_nodata=np.nan, dst_nodata=np.nan,
    )  # fmt: skip
    finite = merc[np.isfinite(merc)]
    lo = vmin if vmin is not None else (float(np.percentile(finite, 2)) if finite.size else 0.0)
    hi = vmax if vmax is not None else (float(np.percentile(finite, 98)) if finite.size else 1.0)
    scaled = np.clip((merc - lo) / max(hi - lo, 1e-9), 0, 1)
    stops = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in RAMP], dtype=float)
    pos = np.linspace(0, 1, len(RAMP))
    rgba = np.zeros((height, width, 4), dtype=np.uint8)
    for ch in range(3):
        rgba[..., ch] = np.interp(np.nan_to_num(scaled), pos, stops[:, ch]).astype(np.uint8)
    rgba[..., 3] = np.where(np.isfinite(merc), 200, 0)
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, format="PNG", optimize=True)
    url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    mx0, my1 = dst_transform.c, dst_transform.f
    mx1, my0 = mx0 + width * dst_transform.a, my1 + height * dst_transform.e
    w, s, e, n = transform_bounds("EPSG:3857", "EPSG:4326", mx0, my0, mx1, my1)
    return url, [[s, w], [n, e]], (lo, hi)


def _gradient_legend(title: str, lo: float, hi: float, low: float, high: float, lang: str = "zh") -> str:
    """The colour ramp from ``lo`` to ``hi`` and, when the data reach beyond, their whole range.

    The ramp is stretched over the 2nd–98th percentiles so that a few extreme cells do not wash
    the map out; the legend says so and gives the minimum and maximum (issue 12: a legend read
    5.3–68.3 while the GeoTIFF reached 353).

    Examples
    --------
    >>> "实际范围 0.0 – 353.0" in _gradient_legend("亩均税收", 5.3, 68.3, 0.0, 353.0)
    True
    >>> "range" in _gradient_legend("score", 0.0, 1.0, 0.0, 1.0, "en")
    False
    """
    stops = ",".join(RAMP)
    clipped_low, clipped_high = low < lo - 1e-9, high > hi + 1e-9
    left = ("≤ " if clipped_low else "") + fmt_number(lo)
    right = ("≥ " if clipped_high else "") + fmt_number(hi)
    note = ""
    if clipped_low or clipped_high:
        span = f"{fmt_number(low)} – {fmt_number(high)}"
        note = (f"色带按第 2–98 百分位；实际范围 {span}" if lang == "zh"
                else f"colours span the 2nd–98th percentiles; full range {span}")  # fmt: skip
        note = f'<div class="qd-q">{html.escape(note)}</div>'
    return (
        f'<div class="qd-grad"><div>{html.escape(title)}</div>'
        f'<span style="display:inline-block;width:150px;height:10px;background:linear-gradient(90deg,{stops})">'
        f"</span><div>{html.escape(left)} – {html.escape(right)}</div>{note}</div>"
    )


def fmt_number(x: float) -> str:
    """A number for legends: one decimal below 1000, thousands separators."""
    return f"{x:,.1f}" if abs(x) < 1000 else f"{x:,.0f}"


def add_raster_overlay(m: folium.Map, surface: Surface, title: str, drawn_in: str = "wgs84", lang: str = "zh") -> str:
    """Add ``surface`` to ``m`` as an image overlay named ``title``; returns its legend HTML."""
    url, bounds, (lo, hi) = surface_png(surface)
    finite = surface.values[np.isfinite(surface.values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (lo, hi)
    if drawn_in == "gcj02":
        (s, w), (n, e) = bounds
        xs, ys = convert(np.array([w, e]), np.array([s, n]), "wgs84", "gcj02")
        bounds = [[ys[0], xs[0]], [ys[1], xs[1]]]
    folium.raster_layers.ImageOverlay(url, bounds=bounds, name=title, opacity=0.8, interactive=False).add_to(m)
    return _gradient_legend(title, lo, hi, low, high, lang)
