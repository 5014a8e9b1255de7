"""Search a place or type coordinates above a map; returns where the map should open.

Names come from :mod:`layers.places` (districts, clusters, bay areas, corridors, transport nodes,
towns); positions from :func:`geo.coordinates.parse_position` (decimal degrees, DMS, EPSG:4549
metres), in the coordinate system the planner chooses for degrees (WGS84/CGCS2000, GCJ-02 as on
高德/腾讯 maps, BD-09 as on 百度), converted to WGS84. The page says how it read the text.
"""

from __future__ import annotations

import numpy as np
import shapely
import streamlit as st

from geo.chinacoords import CHINA_CRS, china_crs, convert
from geo.coordinates import parse_position
from i18n import t
from layers import spec
from layers.places import find_places, gazetteer
from views import state
from views.text import md

__all__ = ["place_search"]

_SYSTEM_LABELS = {"wgs84": "WGS84 / CGCS2000", "gcj02": "GCJ-02（高德、腾讯）", "bd09": "BD-09（百度）"}


@st.cache_resource(show_spinner=False)
def _places():
    return gazetteer(state.plan_layers())


def _kind(kind: str, lang: str) -> str:
    return t("place_town", lang) if kind == "town" else spec(kind).label(lang)


def place_search(key: str, lang: str, query: str | None = None) -> tuple[str, str] | None:
    """Where the map should open, as ``(WKT in WGS84, label)``, or None.

    Draws a search box unless ``query`` is given (a page's own search box, e.g. the firm search);
    the coordinate system choice appears only when degrees were typed.
    """
    if query is None:
        query = st.text_input(t("place_search", lang), key=key, placeholder=t("place_search_hint", lang),
                              label_visibility="collapsed")  # fmt: skip
    if not query.strip():
        return None
    position = parse_position(query)
    if position is not None:
        lon, lat = position.lon, position.lat
        read_as = position.system
        if position.system == "degrees":
            label = _SYSTEM_LABELS.__getitem__
            chosen = st.selectbox(t("place_system", lang), list(CHINA_CRS), key=f"{key}_system",
                                  help=t("place_system_help", lang), format_func=label)  # fmt: skip
            system = china_crs(str(chosen))
            if system != "wgs84":
                xs, ys = convert(np.array([lon]), np.array([lat]), system, "wgs84")
                lon, lat = float(xs[0]), float(ys[0])
            read_as = _SYSTEM_LABELS[system]
        order = t("place_order_" + position.note.replace(", ", "_"), lang)
        st.caption(t("place_position", lang).format(lon=f"{lon:.6f}", lat=f"{lat:.6f}", order=order,
                                                    system=read_as))  # fmt: skip
        return shapely.Point(lon, lat).wkt, f"{lon:.5f}, {lat:.5f}"
    found = find_places(query, _places())
    if not found:
        st.caption(t("place_none", lang))
        return None
    names = [f"{p.name if lang == 'zh' else p.name_en} · {_kind(p.kind, lang)}" for p in found]
    pick = 0
    if len(found) > 1:
        pick = int(st.selectbox(t("place_pick", lang).format(n=len(found)), range(len(found)), key=f"{key}_pick",
                                format_func=names.__getitem__))  # fmt: skip
    place = found[pick]
    if place.source:
        st.caption(md(f"{names[pick]} · {place.source}"))
    return place.geometry.wkt, names[pick]
