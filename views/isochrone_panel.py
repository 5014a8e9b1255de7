"""Drive-time isochrones on the site-selection page (issue 14, 1): from a transport node or the last click.

The bands come from :func:`analysis.siting.network.isochrone_frame` over the road network of the siting
context, at the speeds of the site parameters; they are drawn on the map and can be downloaded.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import streamlit as st

from analysis.siting.config import SitingConfig
from analysis.siting.context import SitingContext
from analysis.siting.network import isochrone_frame
from geo.chinacoords import china_crs, convert
from geo.crs import to_metric_xy
from geo.write import geojson_bytes
from i18n import t
from views.text import md

__all__ = ["MINUTES", "isochrone_panel"]

MINUTES = (10, 15, 20, 30, 45, 60)
_CLICKED = "clicked"


def _clicked_lonlat(map_key: str) -> tuple[float, float] | None:
    """The last point clicked on the map ``map_key`` in WGS84 (the base map may be drawn in GCJ-02)."""
    event = st.session_state.get(f"{map_key}_event")
    if not event or event[0] != "point":
        return None
    (lon, lat), coords = event[1], event[2]
    if coords != "wgs84":
        x, y = convert(np.array([lon]), np.array([lat]), china_crs(coords), "wgs84")
        lon, lat = float(x[0]), float(y[0])
    return float(lon), float(lat)


def isochrone_panel(ctx: SitingContext, config: SitingConfig, map_key: str, lang: str) -> gpd.GeoDataFrame | None:
    """An expander to choose a start and times; returns the bands to draw (EPSG:4326), or None."""
    if ctx.roads is None:
        return None
    zh = lang == "zh"
    with st.expander(t("site_isochrones", lang), icon=":material/directions_car:"):
        nodes = ctx.nodes
        names = nodes["name" if zh else "name_en"].astype(str).tolist()
        options = ["", *range(len(nodes)), _CLICKED]

        def label(o: object) -> str:
            if o == "":
                return t("site_iso_none", lang)
            return t("site_iso_clicked", lang) if o == _CLICKED else names[int(o)]  # type: ignore[call-overload]

        origin = st.selectbox(t("site_iso_origin", lang), options, format_func=label, key=f"site_iso_origin_{lang}",
                              help=t("site_iso_help", lang))  # fmt: skip
        minutes = st.multiselect(t("site_iso_minutes", lang), MINUTES, default=[15, 30, 45], key="site_iso_minutes")
        if origin == "" or not minutes:
            return None
        if origin == _CLICKED:
            clicked = _clicked_lonlat(map_key)
            if clicked is None:
                st.info(t("query_hint", lang), icon=":material/info:")
                return None
            x, y = (float(v[0]) for v in to_metric_xy(np.array([clicked[0]]), np.array([clicked[1]])))
            name = f"{clicked[0]:.4f}, {clicked[1]:.4f}"
        else:
            point = nodes.geometry.iloc[int(origin)]
            x, y, name = point.x, point.y, names[int(origin)]
        try:
            bands = isochrone_frame(ctx.roads, x, y, list(minutes), config.speed_kmh, config.access_speed_kmh, name,
                                    nodes.crs)  # fmt: skip
        except ValueError as exc:  # the start is off the network
            st.warning(md(exc), icon=":material/warning:")
            return None
        st.download_button(t("site_iso_download", lang), geojson_bytes(bands), file_name="isochrones.geojson",
                           mime="application/geo+json", key="site_iso_dl", on_click="ignore",
                           icon=":material/download:")  # fmt: skip
        return bands
