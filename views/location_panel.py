"""Map clicks and drawn areas → what the plan says there (shared by the plan map and siting pages).

A thin shell over :func:`analysis.siting.location.describe_point` / :func:`describe_area`: it reads the
state that ``st_folium`` returns (``last_clicked``; ``last_active_drawing`` when the measure-area
tool finishes a polygon), keeps the last report in the session and shows it as text.
"""

from __future__ import annotations

import json
import re

import shapely
import streamlit as st

from analysis.siting.config import SitingConfig
from analysis.siting.location import LocationReport, describe_area, describe_point
from analysis.siting.project import ProjectSpec
from i18n import t
from i18n.render import location_lines
from views import state
from views.text import md

__all__ = ["RETURNED", "industry_options", "location_report"]

# What st_folium should send back. A click on a feature with a popup stops Leaflet's map click, so
# the feature click (last_object_clicked, at the clicked position) counts as a click too.
RETURNED = ["last_clicked", "last_object_clicked", "last_active_drawing"]


def industry_options() -> list[str]:
    """The plan's Chinese industry terms: whole industries first, then specific terms."""
    order = {"industry": 0, "term": 1, "subsector": 2}
    chinese = [t for t in state.plan().terms if re.search(r"[\u4e00-\u9fff]", t.term)]
    return [t.term for t in sorted(chinese, key=lambda t: (order.get(t.kind, 3), t.term))]


def _new_event(map_state: dict | None, key: str) -> tuple[str, object] | None:
    """("area", geojson) or ("point", (lon, lat)) when the map reports something not seen yet."""
    if not map_state:
        return None
    seen = st.session_state.setdefault(f"{key}_seen", {})
    drawing = map_state.get("last_active_drawing")
    if not (drawing and (drawing.get("properties") or {}).get("qd_measure")):
        drawing = None  # st_folium also reports a clicked feature here; only measured areas count
    clicks = {k: map_state.get(k) for k in ("last_clicked", "last_object_clicked")}
    fresh = {k: v for k, v in clicks.items() if v and json.dumps(v, sort_keys=True) != seen.get(k)}
    seen.update({k: json.dumps(v, sort_keys=True) for k, v in clicks.items()})
    if drawing and json.dumps(drawing, sort_keys=True) != seen.get("drawing"):
        seen["drawing"] = json.dumps(drawing, sort_keys=True)
        return "area", drawing
    for click in fresh.values():
        return "point", (float(click["lng"]), float(click["lat"]))
    return None


def location_report(
    map_state: dict | None,
    key: str,
    ctx,
    project: ProjectSpec | None,
    config: SitingConfig | None,
    lang: str,
    coords: str = "wgs84",
    cluster_yield=None,
) -> LocationReport | None:
    """Show the report for the map's latest click or area (or the last one shown); returns it.

    The last click or area is kept, and its report is worked out again on every run, so that it
    follows the project, the parameters and the language chosen since (issue 12: changing the query
    industry left the old report on screen).
    """
    event = _new_event(map_state, key)
    store = f"{key}_event"
    if event is not None:
        st.session_state[store] = (*event, coords)  # the base map's coordinates of the click
    report = None
    if store in st.session_state:
        kind, value, coords = st.session_state[store]
        try:
            if kind == "area":
                geom = shapely.geometry.shape(value["geometry"])
                report = describe_area(geom, ctx, project, config, cluster_yield, coords)
            else:
                lon, lat = value
                report = describe_point(lon, lat, ctx, project, config, cluster_yield, coords)
        except (ValueError, KeyError, TypeError, shapely.errors.GEOSException) as exc:
            st.warning(f"{t('query_error', lang)}：{md(exc)}")
    with st.container(border=True):
        st.markdown(f"**{t('query_title', lang)}**")
        if report is None:
            st.caption(t("query_hint", lang))
            return None
        lines = location_lines(report, lang)
        st.markdown("\n".join(f"- {md(line)}" for line in lines))
    return report
