"""Plan map page: the plan's layers on an offline map, with downloads."""

from __future__ import annotations

import shapely
import streamlit as st
from streamlit_folium import st_folium

from analysis.siting.config import load_siting_config
from analysis.siting.project import make_project
from i18n import t
from layers import LAYER_IDS, PLAN_LAYER_IDS, spec
from views import state
from views.downloads import download_panel
from views.location_panel import RETURNED, industry_options, location_report
from views.place_search import place_search
from views.print_panel import print_panel
from webmap.assets import streamlit_urls
from webmap.basemaps import BASEMAPS
from webmap.plan_map import MapOptions, build_plan_map, plan_print_layers

lang = state.lang()
st.title(t("app_title", lang))
place = place_search("plan_place", lang)

with st.sidebar:
    basemap = st.selectbox(t("basemap", lang), list(BASEMAPS), format_func=lambda b: t(BASEMAPS[b].label_key, lang),
                           key=state.kept("basemap", "offline"), on_change=state.keep, args=("basemap",))  # fmt: skip
    corridor_km = st.slider(t("corridor_width", lang), 1.0, 20.0, step=0.5, key=state.kept("corridor_km", 5.0),
                            on_change=state.keep, args=("corridor_km",))  # fmt: skip
    shown = st.multiselect(t("layers_shown", lang), list(LAYER_IDS), format_func=lambda i: spec(i).label(lang),
                           key=state.kept("layers_shown", list(PLAN_LAYER_IDS)), on_change=state.keep,
                           args=("layers_shown",))  # fmt: skip

key = state.tianditu_key()
if basemap == "tianditu" and not key:
    st.warning(t("tianditu_no_key", lang))
    basemap = "offline"
if BASEMAPS[basemap].online:
    st.warning(t("online_warning", lang), icon=":material/public:")
if BASEMAPS[basemap].drawn_in == "gcj02":
    st.info(t("gaode_shift", lang))
layers = state.plan_layers(corridor_km * 1000)
land, context = state.base_geography()
options = MapOptions(
    assets=streamlit_urls(st.get_option("server.baseUrlPath") or ""),
    lang=lang,
    basemap=basemap,
    tianditu_key=key,
)
fmap = build_plan_map({i: layers[i] for i in shown}, options, land=land, context=context,
                      focus=shapely.from_wkt(place[0]) if place else None)  # fmt: skip
map_state = st_folium(fmap, height=options.height, use_container_width=True, returned_objects=RETURNED, key="plan_map")
st.info(t("quality_notice", lang), icon=":material/info:")  # below the map: the map comes first (issue 12)
industries = ["", *industry_options()]
q1, q2 = st.columns([3, 1])
industry = q1.selectbox(t("query_industry", lang), industries, key="plan_query_industry",
                        format_func=lambda v: v or t("query_no_industry", lang))  # fmt: skip
land_mu = q2.number_input(t("query_land_mu", lang), 1.0, 100_000.0, 100.0, 10.0, key="plan_query_land_mu")
location_report(map_state, "plan_map", state.siting_context(corridor_half_width_m=corridor_km * 1000),
                make_project(state.plan(), industry, land_mu) if industry else None,
                load_siting_config(None, state.plan()), lang, coords=BASEMAPS[basemap].drawn_in)  # fmt: skip

with st.expander(t("download", lang), icon=":material/download:"):
    download_panel(shown, corridor_km * 1000, key="map_dl")
with st.expander(t("print_section", lang), icon=":material/print:"):
    notes = [t("quality_notice", lang), t("print_sources", lang)]
    print_panel(lambda: plan_print_layers({i: layers[i] for i in shown}, lang), t("print_default_title", lang),
                notes, key="map_print")  # fmt: skip
