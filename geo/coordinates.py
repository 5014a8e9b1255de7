"""Read a position typed by a planner: decimal degrees, degrees-minutes-seconds, or EPSG:4549 metres.

Planners copy positions from documents, GPS receivers and web maps in many forms: ``120.38,
36.07``, ``36.07 120.38`` (latitude first, as Chinese documents and Google write it),
``东经120°23′15″ 北纬36°04′``, ``N36°4'12" E120°22'48"`` or projected metres from a
survey drawing (``x=512345 y=4001234``). :func:`parse_position` reads them all into one
:class:`Position` and says which order and system it assumed, so that the page can tell the
planner; it never guesses silently between two readings that both fall in the world.

Examples
--------
>>> parse_position("120.38, 36.07")
Position(lon=120.38, lat=36.07, system='degrees', note='lon, lat')
>>> parse_position("北纬36°04′ 东经120°23′15″").lat
36.066667
>>> parse_position("x=512345 y=4001234").system
'EPSG:4549'
>>> parse_position("青岛") is None
True
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from pyproj import Transformer

__all__ = ["Position", "parse_position"]

# A degree-minute-second value: 120°23′15.5″ or 120d23m15s, or a decimal number; its hemisphere
# letter or word comes before every value (N36 E120, 北纬36 东经120) or after every value (36N 120E).
_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_HEM = "[NSEW]|北纬|南纬|东经|西经"
_ANGLE = (rf"(?P<deg>{_NUMBER})\s*(?:(?:°|度|d)\s*)?(?:(?P<min>\d+(?:\.\d+)?)\s*(?:'|′|分|m)\s*)?"
          rf"(?:(?P<sec>\d+(?:\.\d+)?)\s*(?:\"|″|''|′′|秒|s)\s*)?")  # fmt: skip
_PREFIXED = re.compile(rf"(?P<hem>{_HEM})\s*{_ANGLE}", re.IGNORECASE)
_SUFFIXED = re.compile(rf"{_ANGLE}(?P<hem>{_HEM})?", re.IGNORECASE)
_HEMISPHERE = {"N": "lat", "S": "lat", "北纬": "lat", "南纬": "lat",
               "E": "lon", "W": "lon", "东经": "lon", "西经": "lon"}  # fmt: skip
_NEGATIVE = {"S", "W", "南纬", "西经"}
# Plausible EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E) metres: Shandong and around.
_GK_X = (200_000.0, 800_000.0)
_GK_Y = (3_500_000.0, 4_500_000.0)
_TO_WGS84 = Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True)


@dataclass(frozen=True)
class Position:
    """A position read from text, in degrees (longitude, latitude; 6 decimals ≈ 0.1 m).

    ``system`` is ``"degrees"`` or ``"EPSG:4549"`` (what was typed); ``note`` says the order
    assumed (``"lon, lat"``, ``"lat, lon"``, or the hemisphere letters that said it).
    """

    lon: float
    lat: float
    system: str
    note: str


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    # NFKC turns ′ ″ into ' and '' or keeps them; unify the separators planners use.
    return text.replace("，", ",").replace("；", ";").replace("’", "'").replace("”", '"').strip()


def _projected(text: str) -> Position | None:
    """``x=… y=…`` or two numbers in the metre ranges of EPSG:4549 (easting first or northing first)."""
    numbers = [float(n) for n in re.findall(r"\d{5,}(?:\.\d+)?", text)]
    if len(numbers) != 2:
        return None
    labelled = re.search(r"\by\s*[=:：]\s*" + str(int(numbers[0])), text, re.IGNORECASE)
    x, y = (numbers[1], numbers[0]) if labelled else (numbers[0], numbers[1])
    if not (_GK_X[0] <= x <= _GK_X[1] and _GK_Y[0] <= y <= _GK_Y[1]):
        x, y = y, x
        if not (_GK_X[0] <= x <= _GK_X[1] and _GK_Y[0] <= y <= _GK_Y[1]):
            return None
    lon, lat = _TO_WGS84.transform(x, y)
    return Position(round(lon, 6), round(lat, 6), "EPSG:4549", "x, y")


def _dms(text: str) -> list[tuple[float, str | None]]:
    """Each angle in ``text`` in decimal degrees with the axis its hemisphere names (or None)."""
    out = []
    pattern = _PREFIXED if re.match(_HEM, text, re.IGNORECASE) else _SUFFIXED
    for m in pattern.finditer(text):
        hem = m.group("hem")
        hem = hem.upper() if hem and hem.isascii() else hem
        minutes, seconds = float(m.group("min") or 0), float(m.group("sec") or 0)
        if minutes >= 60 or seconds >= 60:
            return []
        value = abs(float(m.group("deg"))) + minutes / 60 + seconds / 3600
        negative = m.group("deg").startswith("-") or hem in _NEGATIVE
        out.append((-value if negative else value, _HEMISPHERE[hem] if hem else None))
    return out


def parse_position(text: str) -> Position | None:
    """The position typed in ``text``, or None if it is not one.

    Without hemisphere letters, two decimal numbers are longitude, latitude unless only the
    reverse order is possible (|first| ≤ 90 < |second|, as in ``36.07, 120.38``); when both
    orders are possible (both ≤ 90), the first is taken as longitude and ``note`` says so.
    """
    text = _normalise(text)
    words = re.sub("北纬|南纬|东经|西经|度|分|秒", "", text)
    if not re.search(r"\d", text) or re.search(r"[\u4e00-\u9fff]", words):  # a place name, not a position
        return None
    projected = _projected(text)
    if projected is not None or re.search(r"\b[xy]\s*[=:：]", text, re.IGNORECASE):
        return projected  # x= and y= name metres: outside EPSG:4549's range they are not a position here
    angles = _dms(text)
    if len(angles) != 2:
        return None
    (a, axis_a), (b, axis_b) = angles
    if axis_a and axis_b and axis_a != axis_b:
        lon, lat = (a, b) if axis_a == "lon" else (b, a)
        note = "hemispheres"
    elif abs(a) <= 90 < abs(b) <= 180:
        lon, lat, note = b, a, "lat, lon"
    else:
        lon, lat, note = a, b, "lon, lat"
    if not (abs(lat) <= 90 and abs(lon) <= 180) or not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    return Position(round(lon, 6), round(lat, 6), "degrees", note)
