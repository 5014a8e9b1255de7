"""The 亩产效益 page's cached results: area figures, surface, hot spots and the map page.

Each is computed once per input (``key``, a :class:`views.input_key.InputKey`: file content, file
name, parameters as TOML, coordinate system) and shared by reruns, pages and sessions. They live in
a module rather than in the page script so that :mod:`views.warmup` can compute the default ones
before the server takes requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import streamlit as st

from analysis.land_yield.aggregate import aggregate_grid, aggregate_zones
from analysis.land_yield.concentration import cluster_concentration
from analysis.land_yield.config import CLASS_INFO, INDICATORS
from analysis.land_yield.hotspots import hot_spots
from analysis.land_yield.report import FirmFilter
from analysis.land_yield.schema import SAMPLE_LABEL, SAMPLE_LABEL_EN
from analysis.surface import intensity_surface
from i18n import t
from views import state
from views.input_key import HASH_FUNCS, InputKey
from webmap.assets import streamlit_urls
from webmap.land_yield_map import (
    LEADING_SHARE,
    SCHEMES,
    AreaOverlay,
    LandYieldOverlays,
    build_land_yield_map,
    land_yield_print_layers,
)
from webmap.plan_map import MapOptions
from webmap.print_layout import PrintLayer

__all__ = ["LEVELS", "MapView", "areas", "default_view", "hot_spots_of", "map_html", "overlays_of", "print_layers",
           "surface"]  # fmt: skip

LEVELS = ("none", "clusters", "districts", "axis_corridors", "bay_areas", "grid")
ZONE_IDS = {"clusters": "id", "districts": "adcode", "axis_corridors": "id", "bay_areas": "id"}


@dataclass(frozen=True)
class MapView:
    """What the 亩产效益 map shows (the map settings, the firm filter and the firm searched for)."""

    show_firms: bool
    level: str = "clusters"
    value: str = next(iter(INDICATORS))
    scheme: str = SCHEMES[0]
    show_surface: bool = False
    show_hot: bool = False
    chosen: FirmFilter = field(default_factory=FirmFilter)
    focus: tuple[str, str] | None = None  # (WKT in WGS84, name) of the firm or place searched for
    selected: tuple[int, ...] = ()  # row labels of the firms selected in the results table (analysts)
    marked: tuple[int, ...] = ()  # row labels of the firms of a candidate list marked on the map (analysts)
    marked_label: str = ""  # the legend's line about them ("{n}": their count)
    reviewed: tuple[tuple[int, str, str, str], ...] = ()  # (row, class, zh, en) of firms reviewed on objection


def default_view(analyst: bool) -> MapView:
    """The map as the page first opens it: firms by class for analysts, cluster figures for everyone."""
    return MapView(show_firms=analyst)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=HASH_FUNCS)
def areas(key: InputKey, level: str):
    """Figures per area of ``level`` (a plan layer, or a 1 km grid)."""
    ev = state.evaluation(key)
    if level == "grid":
        return aggregate_grid(ev.result, cell_m=1000)
    zones = aggregate_zones(ev.result, state.plan_layers()[level], ZONE_IDS[level])
    if level == "clusters":  # the plan's own indicator beside the 亩产效益 figures (issue 13, 6)
        shares = cluster_concentration(ev.result, state.plan_layers()["clusters"], state.plan()).set_index("id")
        zones[LEADING_SHARE] = zones["id"].map(shares["share_pct"])
        zones["verdict"] = zones["id"].map(shares["verdict"]).fillna("")
        target = state.plan().cluster_target
        zones = zones.assign(target_pct=target.threshold_pct, target_year=target.year,
                             target_section=target.plan_section)  # fmt: skip
    return zones


@st.cache_data(show_spinner=False, max_entries=4, hash_funcs=HASH_FUNCS)
def surface(key: InputKey):
    """亩均税收 as a 250 m surface (3 km kernel) over Qingdao's land."""
    ev = state.evaluation(key)
    land, _ = state.base_geography()
    return intensity_surface(ev.result, land, "tax_per_mu", cell_m=250, radius_m=3000)


@st.cache_data(show_spinner=False, max_entries=4, hash_funcs=HASH_FUNCS)
def hot_spots_of(key: InputKey):
    """Hot and cold spots of the score (Gi*); raises ValueError when there are too few firms."""
    return hot_spots(state.evaluation(key).result)


def overlays_of(key: InputKey, view: MapView, lang: str) -> LandYieldOverlays:
    """What the map of ``view`` shows: firms (for analysts, filtered), area figures, surface, hot spots."""
    ev = state.evaluation(key)
    note = (SAMPLE_LABEL if lang == "zh" else SAMPLE_LABEL_EN) if ev.synthetic else ""
    result = _reviewed(ev.result, view.reviewed, lang)
    firms = result[view.chosen.mask(result)] if view.show_firms else None
    overlays = LandYieldOverlays(firms=firms, note=note, filtered=view.chosen.active, focus=view.focus)
    if view.show_firms and view.selected:
        overlays.selected = ev.result.loc[[i for i in view.selected if i in ev.result.index]]
    if view.marked_label:
        overlays.marked = ev.result.loc[[i for i in view.marked if i in ev.result.index]]
        overlays.marked_label = view.marked_label
    if view.level != "none":
        shown = areas(key, view.level)
        overlays.areas.append(AreaOverlay(shown, t(f"ly_level_{view.level}", lang), view.value, view.scheme))
    if view.show_surface:
        overlays.surface = surface(key)
    if view.show_hot:
        overlays.hotspots = hot_spots_of(key)
    return overlays


def _reviewed(result: gpd.GeoDataFrame, reviewed: tuple[tuple[int, str, str, str], ...], lang: str) -> gpd.GeoDataFrame:
    """``result`` with the classes after an objection's review, and the review said per firm (popups)."""
    if not reviewed:
        return result
    out = result.copy()
    out["objection_note"] = ""
    for row, cls, zh, en in reviewed:
        if row in out.index:
            out.loc[row, ["class", "class_name", "objection_note"]] = [cls, CLASS_INFO[cls]["zh"] if cls else "",
                                                                       zh if lang == "zh" else en]  # fmt: skip
    return out


def print_layers(key: InputKey, view: MapView, lang: str) -> list[PrintLayer]:
    """The map of ``view`` as layers of a printed sheet (firms only in an analyst's view, as on screen)."""
    return land_yield_print_layers(overlays_of(key, view, lang), lang, state.plan_layers()["districts"])


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs=HASH_FUNCS)
def map_html(key: InputKey, view: MapView, lang: str, base_url_path: str) -> str:
    """The whole map page as HTML, built once per data set, parameters, view, language and URL path.

    ``base_url_path`` is the server's ``server.baseUrlPath`` (where Leaflet is served from). Every
    argument is passed, none left to a default: Streamlit keys a cache by the arguments as given.

    A warm rerun (any widget elsewhere on the page) then costs no map building at all, and the
    browser keeps the iframe because its content did not change.
    """
    overlays = overlays_of(key, view, lang)
    land, context = state.base_geography()
    opts = MapOptions(assets=streamlit_urls(base_url_path), lang=lang)
    fmap = build_land_yield_map(overlays, opts, land=land, context=context, districts=state.plan_layers()["districts"])
    return fmap.get_root().render()
