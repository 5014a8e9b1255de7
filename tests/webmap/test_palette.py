"""One meaning per colour family, and classes that colour-blind viewers can tell apart (issue 12, defect 6)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from analysis.land_yield.config import CLASS_INFO
from layers import spec
from webmap.land_yield_map import HOT_COLOURS
from webmap.palette import (
    CLASS_COLOURS,
    EXCLUSION_STYLE,
    HOT_SPOT_COLOURS,
    ISOCHRONE_COLOURS,
    ROAD_STYLE,
    SEQUENTIAL,
    VERDICT_COLOURS,
)
from webmap.raster_overlay import RAMP

# Machado, Oliveira & Fernandes (2009), severity 1.0, in linear RGB
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(
        linear, 0, 1
    )
    f = np.cbrt(xyz / np.array([0.9505, 1.0, 1.089]))
    f = np.where(
        xyz / np.array([0.9505, 1.0, 1.089]) > 0.008856, f, 7.787 * xyz / np.array([0.9505, 1.0, 1.089]) + 16 / 116
    )
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_every_map_uses_the_palette():
    assert RAMP == SEQUENTIAL and HOT_COLOURS == HOT_SPOT_COLOURS
    assert {c: CLASS_INFO[c]["colour"] for c in CLASS_COLOURS} == CLASS_COLOURS
    style = spec("exclusion_zones").style
    assert {k: style[k] for k in ("color", "fillColor")} == {k: EXCLUSION_STYLE[k] for k in ("color", "fillColor")}
    assert spec("roads").style == ROAD_STYLE


def test_no_colour_has_two_meanings():
    families = {
        "quantity": set(SEQUENTIAL),
        "class": set(CLASS_COLOURS.values()),
        "hot spot": {HOT_SPOT_COLOURS["hot"], HOT_SPOT_COLOURS["cold"]},
        "exclusion": {EXCLUSION_STYLE["color"], EXCLUSION_STYLE["fillColor"]},
        "plan target": set(VERDICT_COLOURS.values()),
        "road": {ROAD_STYLE["color"]},
        "drive time": set(ISOCHRONE_COLOURS),
    }
    for (a, ca), (b, cb) in itertools.combinations(families.items(), 2):
        assert not ca & cb, (a, b, ca & cb)
    # the old clash: a hot spot (good) in the red of class D (bad) — now far apart in colour
    assert np.linalg.norm(_lab(_linear(HOT_SPOT_COLOURS["hot"])) - _lab(_linear(CLASS_COLOURS["D"]))) > 30


@pytest.mark.parametrize("kind", [None, *CVD])
def test_the_four_classes_stay_distinct_for_colour_blind_viewers(kind):
    def seen(c: str) -> np.ndarray:
        linear = _linear(c)
        return _lab(np.array(CVD[kind]) @ linear if kind else linear)

    for a, b in itertools.combinations("ABCD", 2):
        assert np.linalg.norm(seen(CLASS_COLOURS[a]) - seen(CLASS_COLOURS[b])) > 12, (kind, a, b)


@pytest.mark.parametrize("kind", [None, *CVD])
def test_the_quantity_ramp_keeps_its_order_in_lightness(kind):
    lightness = [(_lab(np.array(CVD[kind]) @ _linear(c)) if kind else _lab(_linear(c)))[0] for c in SEQUENTIAL]
    assert all(np.diff(lightness) > 5), (kind, lightness)


@pytest.mark.parametrize("kind", [None, *CVD])
def test_the_verdicts_against_the_plan_target_stay_distinct_for_colour_blind_viewers(kind):
    def seen(c: str) -> np.ndarray:
        linear = _linear(c)
        return _lab(np.array(CVD[kind]) @ linear if kind else linear)

    for a, b in itertools.combinations(["meets", "below", "undetermined"], 2):
        assert np.linalg.norm(seen(VERDICT_COLOURS[a]) - seen(VERDICT_COLOURS[b])) > 12, (kind, a, b)
