"""Site-selection page: a project form, ranked clusters and plots with reasons, map, queries, downloads.

A thin shell over :mod:`analysis.siting` (the same functions as ``python -m analysis.siting``):
this module gathers inputs, caches results and lays out widgets.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import shapely
import streamlit as st
from streamlit_folium import st_folium

from analysis.land_yield.aggregate import aggregate_zones
from analysis.land_yield.pipeline import InputError
from analysis.siting.config import SitingConfigError, load_siting_config
from analysis.siting.project import ProjectError, UnknownIndustryError, make_project
from analysis.siting.rank import SiteResult, rank_sites
from analysis.siting.regions import RegionError, Regions, find_regions
from analysis.siting.scenarios import Comparison, Scenario, compare, load_scenario, run_scenarios
from analysis.siting.suitability import suitability_surface
from files.siting_report import site_report_sheets
from files.xlsx import xlsx_bytes
from geo.crs import to_wgs84
from geo.io import GeoIOError
from geo.raster import geotiff_bytes
from geo.write import geojson_bytes
from i18n import t
from i18n.render import render, render_all
from views import state
from views.input_key import HASH_FUNCS, InputKey
from views.isochrone_panel import isochrone_panel
from views.location_panel import RETURNED, industry_options, location_report
from views.reopen import check_study
from views.scenario_panel import scenario_panel
from views.text import md
from views.weights_panel import ahp_panel, applied_ahp, sensitivity_panel
from views.workspace_panels import save_study_panel
from webmap.assets import streamlit_urls
from webmap.basemaps import BASEMAPS
from webmap.focus import add_focus
from webmap.plan_map import MapOptions
from webmap.siting_map import SitingMapData, build_siting_map

lang = state.lang()
ANALYST = st.session_state["auth_user"].has("analyst") if "auth_user" in st.session_state else False
zh = lang == "zh"
DEFAULT_PROJECT = {"industry": "新能源汽车零部件", "land_mu": 200.0, "investment_wan": 80_000.0, "tax_wan": 6_000.0,
                   "energy_tce": 0.0, "top": 10}  # fmt: skip


def _project_form() -> dict:
    """The project form. Its widgets have keys and take their values from the session only.

    A widget created with ``value=`` from the last submission changes its identity whenever that
    value changes, and Streamlit then drops what was typed into it: every second submission was
    lost (issue 12). The keys are seeded from the last submission when the page (re)opens.
    """
    current = st.session_state.setdefault("site_inputs", dict(DEFAULT_PROJECT))
    options = industry_options()
    for name, value in current.items():
        st.session_state.setdefault(f"site_f_{name}", value)
    if st.session_state["site_f_industry"] not in options:
        st.session_state["site_f_industry"] = options[0]
    with st.form("site_form"):
        industry = st.selectbox(t("site_industry", lang), options, key="site_f_industry",
                                help=t("site_industry_help", lang))  # fmt: skip
        c1, c2 = st.columns(2)
        land = c1.number_input(t("site_land", lang), 1.0, 100_000.0, step=10.0, key="site_f_land_mu")
        top = c2.number_input(t("site_top", lang), 1, 50, step=1, key="site_f_top")
        investment = st.number_input(t("site_investment", lang), 0.0, 1e9, step=1000.0, key="site_f_investment_wan")
        d1, d2 = st.columns(2)
        tax = d1.number_input(t("site_tax", lang), 0.0, 1e9, step=100.0, key="site_f_tax_wan")
        energy = d2.number_input(t("site_energy", lang), 0.0, 1e9, step=100.0, key="site_f_energy_tce",
                                 help=t("site_energy_help", lang))  # fmt: skip
        if st.form_submit_button(t("site_run", lang), icon=":material/travel_explore:", type="primary"):
            st.session_state["site_inputs"] = {"industry": industry, "land_mu": float(land),
                                               "investment_wan": float(investment), "tax_wan": float(tax),
                                               "energy_tce": float(energy), "top": int(top)}  # fmt: skip
    return st.session_state["site_inputs"]


def _upload(label: str, key: str) -> tuple[bytes, str] | None:
    file = st.file_uploader(label, type=["geojson", "json", "gpkg", "zip"], key=key)
    return (file.getvalue(), file.name) if file is not None else None


def _data_and_parameters() -> tuple[tuple | None, tuple | None, bool, str]:
    with st.expander(t("site_data", lang), icon=":material/database:"):
        plots = exclusion = None
        if ANALYST:  # viewers get no upload widget at all: nothing of theirs makes the server read a file
            plots = _upload(t("site_upload_plots", lang), "site_plots")
            exclusion = _upload(t("site_upload_exclusion", lang), "site_exclusion")
        else:
            st.caption(t("site_upload_role", lang))
        st.caption(t("site_plots_note", lang))
        use_yield = st.toggle(t("site_use_yield", lang), value=False, key="site_use_yield")
        if "site_config" not in st.session_state:
            st.session_state["site_config"] = load_siting_config(None, state.plan()).to_toml()
        config = load_siting_config(st.session_state["site_config"].encode("utf-8"), state.plan())
        with st.form("site_params"):
            st.caption(t("site_weights", lang))
            cols = st.columns(2)  # a two-column grid: the side panel is narrow
            weights = {
                f: cols[i % 2].number_input(t(f"factor_{f}", lang), 0.0, 100.0, float(w), 1.0, key=f"site_w_{f}")
                for i, (f, w) in enumerate(config.weights.items())
            }
            st.caption(t("site_standard", lang))
            std = {k: st.number_input(t(f"site_std_{k}", lang), 0.0, 1e6, float(v), 1.0, key=f"site_std_{k}")
                   for k, v in config.standard_land.items()}  # fmt: skip
            if st.form_submit_button(t("ly_apply", lang), icon=":material/refresh:"):
                try:
                    st.session_state["site_config"] = config.with_changes(weights=weights, standard_land=std).to_toml()
                    st.rerun()
                except SitingConfigError as exc:
                    st.error(md(exc))
        st.download_button(t("ly_config_download", lang), st.session_state["site_config"], file_name="siting.toml",
                           mime="application/toml", icon=":material/download:", on_click="ignore")  # fmt: skip
        for kind, upload in (("plots", plots), ("exclusion_zones", exclusion)):
            if upload is None:
                continue
            try:
                for note in state.imported(kind, upload).notes_zh if zh else state.imported(kind, upload).notes_en:
                    st.info(f"{md(upload[1])}：{md(note)}")
            except GeoIOError as exc:
                st.error(f"{md(upload[1])}：{md(exc)}", icon=":material/error:")
                st.stop()
    return plots, exclusion, use_yield, st.session_state["site_config"]


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs=HASH_FUNCS)
def _rank(inputs: tuple, plots, exclusion, config_toml: str, use_yield: bool, yield_key) -> SiteResult:
    project = make_project(state.plan(), *inputs[:5])
    ctx = state.siting_context(plots, exclusion)
    return rank_sites(project, ctx, load_siting_config(config_toml.encode("utf-8"), state.plan()),
                      cluster_yield=_cluster_yield(yield_key) if use_yield else None, top_plots=inputs[5])  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=4, hash_funcs=HASH_FUNCS)
def _cluster_yield(key: InputKey | None) -> pd.DataFrame | None:
    """亩产效益 by cluster (ratio of sums, < 3 firms suppressed) of the evaluation ``key``."""
    if key is None:
        return None
    ev = state.evaluation(key)
    return aggregate_zones(ev.result, state.plan_layers()["clusters"], "id")


@st.cache_resource(show_spinner=False, max_entries=4)
def _exclusion_wgs84(plots, exclusion):
    """The context's exclusion zones in WGS84 for the map (reprojected once per data set, not per rerun)."""
    return to_wgs84(state.siting_context(plots, exclusion).exclusion)


@st.cache_data(show_spinner=False, max_entries=4, hash_funcs=HASH_FUNCS)
def _suitability(inputs: tuple, plots, exclusion, config_toml: str, use_yield: bool, yield_key):
    ctx = state.siting_context(plots, exclusion)
    land, _ = state.base_geography()
    config = load_siting_config(config_toml.encode("utf-8"), state.plan())
    return suitability_surface(make_project(state.plan(), *inputs[:5]), ctx, land, config,
                               cluster_yield=_cluster_yield(yield_key) if use_yield else None)  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs=HASH_FUNCS)
def _compare(key: tuple, scenario_tomls: tuple[str, ...], lang: str) -> Comparison:
    """The ranking of the project shown under the current parameters (the base) and each scenario, side by side."""
    inputs, plots, exclusion, config_toml, use_yield, yield_key = key
    plan = state.plan()
    base = Scenario(t("scn_base", lang), load_siting_config(config_toml.encode("utf-8"), plan))
    scenarios = [base, *(load_scenario(s.encode("utf-8"), plan) for s in scenario_tomls)]
    cluster_yield = _cluster_yield(yield_key) if use_yield else None
    results = run_scenarios(make_project(plan, *inputs[:5]), state.siting_context(plots, exclusion), scenarios,
                            top_plots=inputs[5], cluster_yield=cluster_yield)  # fmt: skip
    return compare(results, top=inputs[5])


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs=HASH_FUNCS)
def _regions(key: tuple, mu: float, k: int, spacing_m: float) -> Regions:
    return find_regions(_suitability(*key), mu, k, spacing_m)


def _regions_panel(key: tuple, land_mu: float):
    """Find the best contiguous regions on the raster shown (issue 14, 5): K, 亩 each, spacing; drawn on the map."""
    with st.expander(t("site_regions", lang), icon=":material/select_all:"):
        c1, c2, c3 = st.columns(3)
        k = c1.number_input(t("site_regions_k", lang), 0, 20, 0, 1, key="site_regions_k",
                            help=t("site_regions_help", lang))  # fmt: skip
        mu = c2.number_input(t("site_regions_mu", lang), 20.0, 100000.0, float(max(land_mu, 20.0)), 10.0,
                             key="site_regions_mu")  # fmt: skip
        spacing = c3.number_input(t("site_regions_spacing", lang), 0.0, 50000.0, 1000.0, 100.0, key="site_regions_gap")
        if not k:
            return None
        try:
            found = _regions(key, float(mu), int(k), float(spacing))
        except RegionError as exc:
            st.error(md(exc))
            return None
        if found.reason is not None:
            st.info(md(found.reason[0 if zh else 1]), icon=":material/info:")
        if len(found.regions):
            table = found.regions.drop(columns="geometry").rename(columns={
                "rank": t("site_rank", lang), "area_mu": t("unit_mu", lang), "mean_score": t("site_region_mean", lang),
                "min_score": t("site_region_min", lang), "cells": t("site_region_cells", lang)})  # fmt: skip
            st.dataframe(table, hide_index=True, width="stretch")
            st.download_button(t("site_regions_download", lang), geojson_bytes(found.regions),
                               file_name="regions.geojson", mime="application/geo+json", key="site_regions_dl",
                               on_click="ignore", icon=":material/download:")  # fmt: skip
        return found.regions


def _marked(row_is_marked) -> object:
    """A Styler function: the rows ``row_is_marked`` (by position) in yellow."""
    return lambda row: ["background-color: #fde68a" if row_is_marked(row.name) else ""] * len(row)


def _selected_clusters(result: SiteResult) -> list[str]:
    """Ids of the clusters ticked in the ranking table (its last state), for the map."""
    table = st.session_state.get("site_cluster_table")
    rows = list(table["selection"]["rows"]) if table is not None else []
    return [str(result.clusters["id"].iloc[r]) for r in rows if 0 <= r < len(result.clusters)]


def _cluster_table(result: SiteResult, clicked: str) -> None:
    c = result.clusters.reset_index(drop=True)
    table = pd.DataFrame({
        t("site_rank", lang): c["rank"],
        t("site_name", lang): c["name"],
        t("site_score", lang): c["score"].round(1),
        t("site_verdict", lang): c["compliant"].map({True: "✓", False: "✗"}),
        t("site_fit", lang): c["fit_level"].map(lambda v: t(f"fit_{v}", lang)),
        **{t(f"factor_{f}", lang): c[f"pts_{f}"].round(1) for f in result.weights},
        t("site_free_land", lang): c["free_land_mu"],
        t("site_failed", lang): c["failures"].map(lambda found: "；".join(render_all(found, lang))),
    })  # fmt: skip
    shown = table.style.apply(_marked(lambda i: c["name"].iloc[i] == clicked), axis=1) if clicked else table
    st.dataframe(shown, hide_index=True, width="stretch", placeholder="—", key="site_cluster_table", on_select="rerun",
                 selection_mode="multi-row")  # fmt: skip
    st.caption(t("site_table_map", lang))
    for row in c.head(3).itertuples():
        with st.expander(f"{row.rank}. {row.name} · {row.score:.1f}", expanded=row.rank == 1):
            for line in render_all([*row.failures, *row.reasons], lang):
                st.markdown(f"- {md(line)}")


def _plot_table(result: SiteResult, top: int) -> None:
    p = result.plots.head(top)
    if p.empty:
        return
    st.subheader(t("site_plots", lang))
    table = pd.DataFrame({
        t("site_rank", lang): p["rank"], t("site_name", lang): p["name"], t("site_cluster", lang): p["cluster"],
        t("site_area", lang): p["area_mu"], t("site_score", lang): p["score"].round(1),
        t("site_verdict", lang): p["compliant"].map({True: "✓", False: "✗"}),
        t("site_reasons", lang): (p["failures"] + p["reasons"]).map(lambda f: "；".join(render_all(f[:4], lang))),
    })  # fmt: skip
    st.dataframe(table, hide_index=True, width="stretch", placeholder="—")


def _geojson_bytes(result: SiteResult, top: int) -> bytes:
    out = result.plots.head(max(top, 50)).copy()
    for col in ("reasons", "failures"):
        for lg in ("zh", "en"):
            out[f"{col}_{lg}"] = out[col].map(lambda found, lg=lg: "；".join(render_all(found, lg)))
    out = out.drop(columns=["reasons", "failures"])
    return geojson_bytes(out)


def _report_buttons(result: SiteResult, data: SitingMapData, stability, comparison, top: int) -> None:
    """The site-study report as DOCX and PDF, with the stability and the scenarios shown (issue 14, 6)."""
    from dataclasses import replace

    from files.study_report import StudyReport, quality_notes, report_maps, study_report

    def report(fmt: str) -> bytes:
        today = datetime.now().astimezone().date().isoformat()  # the server's local date
        land, context = state.base_geography()
        shown = replace(data, suitability=None, regions=None, isochrones=None, top_plots=top,
                        roads=state.plan_layers()["roads"])  # fmt: skip
        used = {"clusters": shown.clusters, "axes": shown.axes, "transport_nodes": shown.transport_nodes,
                "roads": shown.roads, "exclusion_zones": shown.exclusion_zones, "plots": result.plots}  # fmt: skip
        content = StudyReport(result, lang, today, report_maps(result, shown, land, context, lang, today), stability,
                              comparison, applied_ahp(result.config), quality=quality_notes(used, lang),
                              top_plots=top)  # fmt: skip
        return study_report(content, "docx" if fmt == "docx" else "pdf")

    name = f"选址报告_{result.project.term}" if zh else f"site_report_{result.project.industry}"
    c1, c2 = st.columns(2)
    c1.download_button(t("rpt_download_docx", lang), lambda: report("docx"), file_name=f"{name}.docx",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       key="site_dl_report_docx", on_click="ignore", icon=":material/description:")  # fmt: skip
    c2.download_button(t("rpt_download_pdf", lang), lambda: report("pdf"), file_name=f"{name}.pdf",
                       mime="application/pdf", key="site_dl_report_pdf", on_click="ignore",
                       icon=":material/picture_as_pdf:")  # fmt: skip


def _downloads(result: SiteResult, key: tuple, top: int) -> None:
    with st.expander(t("ly_downloads", lang), icon=":material/download:"):
        c1, c2, c3 = st.columns(3)
        c1.download_button(t("site_dl_geojson", lang), lambda: _geojson_bytes(result, top),
                           file_name="siting_candidates.geojson", mime="application/geo+json",
                           key="site_dl_geojson", on_click="ignore")  # fmt: skip
        c2.download_button(t("site_dl_xlsx", lang), lambda: xlsx_bytes(site_report_sheets(result, lang)),
                           file_name="选址分析报告.xlsx", key="site_dl_xlsx", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip

        def tif() -> bytes:
            s = _suitability(*key)
            tags = {"value": "suitability 0-100", "industry": result.project.industry, "crs": s.crs}
            return geotiff_bytes(s.values, s.transform, s.crs, tags, "suitability")

        c3.download_button(t("site_dl_tif", lang), tif, file_name="suitability_100m_EPSG4549.tif", mime="image/tiff",
                           key="site_dl_tif", on_click="ignore")  # fmt: skip


st.title(t("site_title", lang))
with st.sidebar:  # the project and the data beside the map, as in GIS software (issue 12: map first)
    st.subheader(t("site_project", lang))
    inputs = _project_form()
    plots, exclusion, use_yield, config_toml = _data_and_parameters()
    with st.expander(t("ahp_title", lang), icon=":material/balance:"):
        ahp_panel(load_siting_config(config_toml.encode("utf-8"), state.plan()), lang)
args = (inputs["industry"], inputs["land_mu"], inputs["investment_wan"] or None, inputs["tax_wan"] or None,
        inputs["energy_tce"] or None, inputs["top"])  # fmt: skip
yield_key = state.evaluation_key() if use_yield else None
key = (args, plots, exclusion, config_toml, use_yield, yield_key)
try:
    with st.spinner(t("site_working", lang)):
        result = _rank(*key)
except UnknownIndustryError as exc:
    st.error(md(exc), icon=":material/error:")
    st.stop()
except (ProjectError, SitingConfigError, GeoIOError, InputError, ValueError) as exc:
    st.error(f"{t('site_input_error', lang)}：{md(exc)}", icon=":material/error:")
    st.stop()

t1, t2 = st.columns(2)
show_suitability = t1.toggle(t("site_show_suitability", lang), value=False, key="site_suit")
show_roads = t2.toggle(t("site_show_roads", lang), value=False, key="site_roads")
regions = _regions_panel(key, inputs["land_mu"]) if show_suitability else None
layers = state.plan_layers()
ctx = state.siting_context(plots, exclusion)
with st.sidebar:
    isochrones = isochrone_panel(ctx, result.config, "site_map", lang)
data = SitingMapData(layers["clusters"], layers["axes"], _exclusion_wgs84(plots, exclusion),
                     layers["transport_nodes"], layers["districts"], _suitability(*key) if show_suitability else None,
                     inputs["top"], regions, layers["roads"] if show_roads else None, isochrones)  # fmt: skip
basemap = str(state.kept_value("basemap", "offline"))  # the base map chosen on the plan map
basemap = basemap if basemap in BASEMAPS and (basemap != "tianditu" or state.tianditu_key()) else "offline"
opts = MapOptions(assets=streamlit_urls(st.get_option("server.baseUrlPath") or ""), lang=lang, basemap=basemap,
                  tianditu_key=state.tianditu_key())  # fmt: skip
land, context = state.base_geography()
parts = build_siting_map(result, data, opts, land=land, context=context, split=True)
chosen = layers["clusters"][layers["clusters"]["id"].isin(_selected_clusters(result))]
if not chosen.empty:  # clusters ticked in the ranking table: outlined, and the map opens on them
    add_focus(parts.base, shapely.union_all(chosen.geometry.values), BASEMAPS[basemap].drawn_in)
# The project's layers go to the map as groups: a new submission swaps them in the browser's map
# instead of building the whole map again (webmap.siting_map.SitingMapParts).
map_state = st_folium(parts.base, height=opts.height, use_container_width=True, returned_objects=RETURNED,
                      key="site_map", feature_group_to_add=parts.groups, layer_control=parts.control)  # fmt: skip
report = location_report(map_state, "site_map", ctx, result.project, result.config, lang,
                         coords=BASEMAPS[basemap].drawn_in,
                         cluster_yield=_cluster_yield(yield_key) if use_yield else None)  # fmt: skip
st.caption(t("site_intro", lang))
check_study(inputs, config_toml, result.clusters, lang)  # a study reopened from the workspace: same ranking?
for note in result.notes:
    (st.warning if note.severity != "info" else st.info)(md(render(note, lang)))
st.subheader(t("site_clusters", lang))
_cluster_table(result, report.cluster if report is not None else "")  # the cluster clicked on the map: marked
stability = sensitivity_panel(result, key, lang)
comparison = scenario_panel(result, lambda tomls: _compare(key, tomls, lang), lang, ANALYST)
_plot_table(result, inputs["top"])
_downloads(result, key, inputs["top"])
_report_buttons(result, data, stability, comparison, inputs["top"])
if st.session_state["auth_user"].has("analyst"):
    save_study_panel(result)
