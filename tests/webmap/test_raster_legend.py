"""Raster legends tell the range of the data shown (issue 12, defect 6)."""

from __future__ import annotations

import re

import folium
import numpy as np
from affine import Affine

from analysis.surface import Surface
from webmap.raster_overlay import add_raster_overlay


def _surface(values: np.ndarray) -> Surface:
    # 100 m cells near 胶州 in EPSG:4549 (CGCS2000 / 3-degree GK CM 120E)
    transform = Affine(100.0, 0.0, 480_000.0, 0.0, -100.0, 4_020_000.0)
    return Surface(values.astype(np.float32), transform, "EPSG:4549", "tax_per_mu", "万元/亩", 100.0, 3000.0)


def test_the_legend_gives_the_whole_range_when_the_colours_are_stretched():
    """The surface legend read 5.3–68.3 while its GeoTIFF reached 353."""
    rng = np.random.default_rng(1)
    values = rng.uniform(5, 70, (40, 40))
    values[0, 0], values[1, 1] = 353.0, 0.5  # a few extreme cells
    legend = add_raster_overlay(folium.Map(), _surface(values), "亩均税收")
    assert "实际范围 0.5 – 353.0" in legend
    low, high = (float(x) for x in re.search(r"≤ ([\d.]+) – ≥ ([\d.]+)", legend).groups())
    assert 0.5 < low < high < 353.0  # the ramp's ends are marked as open


def test_a_legend_without_stretching_shows_just_the_range():
    values = np.tile(np.linspace(10, 20, 50), (50, 1))
    values[:, :2] = 10.0
    values[:, -2:] = 20.0  # the extremes are more than 2 % of the cells: nothing is clipped
    legend = add_raster_overlay(folium.Map(), _surface(values), "score", lang="en")
    assert "10.0 – 20.0" in legend and "≥" not in legend and "full range" not in legend
