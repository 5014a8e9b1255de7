"""Printing a map sheet (A4/A3, PDF/PNG): paper size, what is drawn where, scale bar lengths, fonts."""

from __future__ import annotations

import io
import math
import re

import geopandas as gpd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from webmap import print_layout
from webmap.print_layout import PAPER_MM, PrintError, PrintLayer, PrintSheet, map_frame, nice_length, print_map

# A toy city: a square of land, 40 km a side, around (120.3 E, 36.3 N).
LAND = shapely.box(120.1, 36.1, 120.5, 36.5)
SHEET = PrintSheet("测试图", "2026-11-29", ["数据说明：测试。"])


@given(st.floats(min_value=1e-3, max_value=1e9, allow_nan=False))
def test_a_scale_bar_is_1_2_or_5_times_a_power_of_ten_and_fits(span):
    length = nice_length(span)
    assert span / 5 < length <= span * (1 + 1e-12)
    mantissa = length / 10 ** math.floor(math.log10(length) + 1e-12)
    assert round(mantissa, 9) in (1.0, 2.0, 5.0)


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_a_png_has_the_paper_size_at_the_resolution_asked(paper):
    png = print_map([], PrintSheet("t", "2026-11-29", paper=paper), LAND, fmt="png", dpi=100)
    width, height = Image.open(io.BytesIO(png)).size
    assert (width, height) == tuple(int(mm / 25.4 * 100) for mm in PAPER_MM[paper])  # whole pixels, rounded down


def test_a_pdf_page_is_a4_landscape_in_points():
    pdf = print_map([], SHEET, LAND, fmt="pdf")
    assert pdf.startswith(b"%PDF")
    box = [float(v) for v in re.search(rb"/MediaBox \[\s*([\d. ]+)\]", pdf).group(1).split()]
    assert box[2] == pytest.approx(297 / 25.4 * 72, abs=0.1) and box[3] == pytest.approx(210 / 25.4 * 72, abs=0.1)
    assert b"NotoSansCJK" in pdf or b"Noto" in pdf  # the Chinese font is embedded, not substituted


def test_a_layer_is_drawn_where_it_lies_in_its_own_colour():
    """A red square over the middle of the land shows red at the middle of the map frame, sea outside the land."""
    square = gpd.GeoDataFrame(geometry=[shapely.box(120.28, 36.28, 120.32, 36.32)], crs=4326)
    layer = PrintLayer(square, "测试面", {"color": "#ff0000", "weight": 1, "fillColor": "#ff0000", "fillOpacity": 1})
    png = print_map([layer], SHEET, LAND, fmt="png", dpi=100)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    left, bottom, width, height = map_frame("A4")
    w, h = image.size
    centre = (round((left + width / 2) * w), round((1 - bottom - height / 2) * h))
    assert image.getpixel(centre) == (255, 0, 0)
    corner = (round((left + width * 0.995) * w), round((1 - bottom - height * 0.5) * h))  # beside the land: sea
    assert image.getpixel(corner) == tuple(int(print_layout.SEA_COLOUR[k : k + 2], 16) for k in (1, 3, 5))


def test_the_extent_asked_is_what_the_map_shows():
    """With an extent inside the square, the whole frame is the square's colour."""
    square = gpd.GeoDataFrame(geometry=[shapely.box(120.2, 36.2, 120.4, 36.4)], crs=4326)
    layer = PrintLayer(square, "测试面", {"color": "#0000ff", "weight": 0, "fillColor": "#0000ff", "fillOpacity": 1})
    png = print_map([layer], SHEET, LAND, fmt="png", dpi=60, extent=(120.29, 36.29, 120.31, 36.31))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    left, bottom, width, height = map_frame("A4")
    w, h = image.size
    for fx, fy in ((0.2, 0.5), (0.8, 0.3), (0.5, 0.9)):
        assert image.getpixel((round((left + width * fx) * w), round((1 - bottom - height * fy) * h))) == (0, 0, 255)


def test_without_a_chinese_font_a_chinese_sheet_is_refused(monkeypatch):
    monkeypatch.setattr(print_layout, "_cjk_font", lambda: None)
    with pytest.raises(PrintError, match="fonts-noto-cjk"):
        print_map([], SHEET, LAND)


@pytest.mark.parametrize(("kwargs", "named"), [({"fmt": "svg"}, "pdf or png"), ({"dpi": 5000}, "dpi")])
def test_unknown_formats_and_resolutions_are_refused(kwargs, named):
    with pytest.raises(PrintError, match=named):
        print_map([], SHEET, LAND, **kwargs)


def test_unknown_paper_is_refused():
    with pytest.raises(PrintError, match="A4 or A3"):
        print_map([], PrintSheet("t", "d", paper="Letter"), LAND)
