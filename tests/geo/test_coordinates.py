"""Positions typed by planners: every common form reads back to the same point."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Transformer

from geo.coordinates import parse_position

LON = st.floats(min_value=73.5, max_value=134.9)  # China: a latitude below 54 and a longitude above 73
LAT = st.floats(min_value=18.2, max_value=53.5)


def _dms(value: float) -> tuple[int, int, float]:
    total = round(value * 360_000)  # hundredths of a second
    degrees, rest = divmod(total, 360_000)
    minutes, hundredths = divmod(rest, 6_000)
    return degrees, minutes, hundredths / 100


def _forms(lon: float, lat: float) -> list[str]:
    (ld, lm, ls), (ad, am, as_) = _dms(lon), _dms(lat)
    return [
        f"{lon:.6f}, {lat:.6f}",
        *([f"{lat:.6f} {lon:.6f}"] if lon > 90 else []),  # latitude first, as Chinese documents write it
        f"{lat:.6f}N, {lon:.6f}E",
        f"E{lon:.6f} N{lat:.6f}",
        f"北纬{ad}°{am}′{as_}″ 东经{ld}°{lm}′{ls}″",
        f"{ld}°{lm}'{ls}\"E {ad}°{am}'{as_}\"N",
        f"N{ad}d{am}m{as_}s E{ld}d{lm}m{ls}s",
        "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c in ".," else c for c in f"{lon:.6f},{lat:.6f}"),  # full-width
    ]


@given(LON, LAT)
def test_every_form_reads_back_to_the_point(lon, lat):
    for text in _forms(lon, lat):
        found = parse_position(text)
        assert found is not None, text
        assert found.lon == pytest.approx(lon, abs=2e-6) and found.lat == pytest.approx(lat, abs=2e-6), text


@given(st.floats(min_value=119.3, max_value=121.0), st.floats(min_value=35.3, max_value=37.2))
def test_epsg_4549_metres_read_back_to_the_point_in_either_order(lon, lat):
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:4549", always_xy=True).transform(lon, lat)
    for text in (f"x={x:.2f} y={y:.2f}", f"{x:.2f}, {y:.2f}", f"{y:.2f} {x:.2f}", f"y: {y:.1f}, x: {x:.1f}"):
        found = parse_position(text)
        assert found is not None and found.system == "EPSG:4549", text
        assert found.lon == pytest.approx(lon, abs=2e-6) and found.lat == pytest.approx(lat, abs=2e-6), text


@pytest.mark.parametrize(
    "text",
    ["青岛", "城阳区", "120.38", "1 2 3", "200, 100", "36°61′N 120°E", "", "   ", "x=1 y=2", "120.38, 36.07, 5"],
)
def test_what_is_not_a_position_is_none(text):
    assert parse_position(text) is None


def test_the_order_assumed_is_said():
    assert parse_position("36.07, 120.38").note == "lat, lon"
    assert parse_position("120.38, 36.07").note == "lon, lat"
    assert parse_position("36.07N 120.38E").note == "hemispheres"
    assert parse_position("-33.9, 151.2") == parse_position("-33.9, 151.2")  # both orders possible: lon, lat
    assert parse_position("S33.9 E151.2").lat == -33.9
