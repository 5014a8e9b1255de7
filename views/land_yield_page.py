"""亩产效益 page: evaluate enterprises, check the input, explore results, map and download them.

A thin shell over :mod:`analysis` (the same functions as ``python -m analysis.land_yield``):
this module only gathers inputs, caches results and lays out widgets.
"""

from __future__ import annotations

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from analysis.land_yield.aggregate import MIN_FIRMS
from analysis.land_yield.config import CLASS_INFO, INDICATORS, ConfigError, load_config
from analysis.land_yield.enterprises import COORD_SYSTEMS
from analysis.land_yield.pipeline import Evaluation, InputError, result_sheets
from analysis.land_yield.report import (
    FirmFilter,
    area_table,
    class_overview,
    class_summary,
    find_firms,
    firm_profile,
    result_header,
    results_table,
)
from analysis.land_yield.schema import SAMPLE_LABEL_EN
from files.xlsx import xlsx_bytes
from geo.raster import geotiff_bytes
from geo.write import geojson_bytes
from i18n import t
from views import state
from views.input_key import InputKey
from views.land_yield_cache import LEVELS, MapView, areas, default_view, hot_spots_of, map_html, print_layers
from views.land_yield_cache import surface as surface_of
from views.notice_panel import notice_tab, reviewed_rows
from views.place_search import place_search
from views.print_panel import print_panel
from views.reopen import check_run
from views.sources_panel import header_map_panel, join_report, keep_uploads, page_input, sources_caption, too_many
from views.stock_panel import marked_rows, stock_tab
from views.text import markdown_table, md
from views.workspace_panels import save_evaluation_panel
from views.yearly_panel import firm_history, policy_tab, with_extras, yearly_tab
from webmap.land_yield_map import LEADING_SHARE, SCHEMES
from webmap.plan_map import MapOptions

MAX_ROWS_SHOWN = 1000  # the full table is in the XLSX download
lang = state.lang()
# Enterprise-level data (firm rows, points, row-level messages, firm downloads) is for analysts and
# admins only; a viewer gets aggregates of areas with ≥ 3 firms (analysis.land_yield.aggregate.MIN_FIRMS).
ANALYST = st.session_state["auth_user"].has("analyst") if "auth_user" in st.session_state else False


_evaluate = state.evaluation


def _input() -> tuple[bytes, str]:
    """The enterprise data evaluated: the default data set, or the analyst's uploads (several are joined)."""
    default = state.default_input()
    if not ANALYST:
        return default
    with st.sidebar:
        st.subheader(t("ly_data_source", lang))
        st.file_uploader(t("ly_upload", lang), type=["csv", "xlsx", "geojson", "json", "gpkg", "zip"],
                         key="ly_upload", on_change=keep_uploads, accept_multiple_files=True,
                         help=t("ly_upload_help", lang))  # fmt: skip
        sources_caption(lang)
        if too_many(lang):
            st.stop()
        header_map_panel(lang)
        st.selectbox(t("ly_coords", lang), COORD_SYSTEMS, key=state.kept("ly_coords", "auto"),
                     format_func=lambda c: t("coords_auto", lang) if c == "auto" else c.upper(),
                     on_change=state.keep, args=("ly_coords",))  # fmt: skip
    return page_input(default)


def _config_toml() -> str:
    """The parameters in use, as TOML: the defaults, or an analyst's edits kept in the session."""
    if not ANALYST:
        return load_config(None).to_toml()
    if "ly_config" not in st.session_state:
        st.session_state["ly_config"] = load_config(None).to_toml()
    return str(st.session_state["ly_config"])


def _parameter_editor() -> None:
    """Edit, load and download the parameters (analysts; the 参数 tab)."""
    config = load_config(st.session_state["ly_config"].encode("utf-8"))
    st.caption(t("ly_params", lang))
    uploaded = st.file_uploader(t("ly_config_upload", lang), type=["toml"], key="ly_config_file")
    if uploaded is not None and st.session_state.get("ly_config_loaded") != uploaded.file_id:
        try:
            st.session_state["ly_config"] = load_config(uploaded.getvalue()).to_toml()
            st.session_state["ly_config_loaded"] = uploaded.file_id
            st.rerun()
        except ConfigError as exc:
            st.error(md(exc))
    with st.form("ly_params_form"):
        st.caption(t("ly_weights", lang))
        cols = st.columns(len(INDICATORS))
        weights = {
            k: col.number_input(ind.zh if lang == "zh" else ind.en, 0.0, 100.0,
                                float(config.weights.get(k, 0)), 1.0, key=f"ly_w_{k}")
            for col, (k, ind) in zip(cols, INDICATORS.items(), strict=True)
        }  # fmt: skip
        st.caption(t("ly_shares", lang))
        share_cols = st.columns(4)
        shares = {
            c: col.number_input(c, 0.0, 100.0, config.shares[c] * 100, 1.0, key=f"ly_s_{c}") / 100
            for col, c in zip(share_cols, "ABCD", strict=True)
        }
        c1, c2, c3 = st.columns(3)
        benchmark = c1.radio(
            t("ly_benchmark", lang), ("district", "city"), index=("district", "city").index(config.benchmark),
            format_func=lambda b: t(f"ly_bench_{b}", lang), horizontal=True,
        )  # fmt: skip
        cap = c2.number_input(t("ly_cap", lang), 1.0, 10.0, config.cap, 0.5)
        year = c3.number_input(t("ly_year", lang), 2000, 2100, config.evaluation_year, 1)
        if st.form_submit_button(t("ly_apply", lang), icon=":material/refresh:"):
            percent = sum(shares.values()) * 100
            if abs(percent - 100) > 1e-6:  # said in the percentages typed, not as a 0–1 share (issue 12)
                st.error(t("ly_shares_sum", lang).format(total=f"{percent:g}"))
                st.stop()
            try:
                changed = config.with_changes(
                    weights=weights, shares=shares, benchmark=benchmark, cap=float(cap), evaluation_year=int(year)
                )
                st.session_state["ly_config"] = changed.to_toml()
                st.rerun()
            except ConfigError as exc:
                st.error(md(exc))
    for note in config.notes:
        st.warning(md(note))
    st.download_button(
        t("ly_config_download", lang), st.session_state["ly_config"], file_name="land_yield.toml",
        mime="application/toml", icon=":material/download:",
    on_click="ignore")  # fmt: skip


def _validation(ev: Evaluation) -> None:
    issues = ev.issues
    n_warn = int((issues["severity"] == "warning").sum())
    if issues.empty:
        st.success(t("ly_validation_ok", lang).format(n=ev.prepared.n_input), icon=":material/check_circle:")
        return
    text = t("ly_validation_summary", lang).format(n=ev.prepared.n_input, bad=ev.prepared.n_errors, warn=n_warn)
    (st.warning if ev.prepared.n_errors else st.info)(text)


def _validation_messages(ev: Evaluation) -> None:
    """Every row-level message (analysts: they quote firms' figures; the 数据校验 tab)."""
    if ev.issues.empty:
        st.success(t("ly_validation_ok", lang).format(n=ev.prepared.n_input), icon=":material/check_circle:")
        return
    shown = ev.issues[["row", "severity", "message_zh" if lang == "zh" else "message_en"]]
    st.dataframe(shown, hide_index=True, width="stretch", placeholder="—", height=320)


def _class_counts(ev: Evaluation) -> None:
    """Firms per class as a row of figures, with each class's policy meaning on hover, and every row accounted for."""
    st.caption(t("ly_accounting", lang).format(**{k: f"{v:,}" for k, v in ev.accounting().items()}))
    counts = class_summary(ev.result).iloc[0]
    for col, (cls, n) in zip(st.columns(len(counts)), counts.items(), strict=True):
        info = CLASS_INFO.get(cls)
        name = (info["zh"].split("（")[0] if lang == "zh" else info["en"].split(" (")[0]) if info else ""
        label = f"{cls} {name}" if info else t("ly_out_of_scope", lang)
        col.metric(label, f"{n:,}", help=(info["policy" if lang == "zh" else "policy_en"] if info else None))


def _overview(ev: Evaluation) -> None:
    """How the classes were drawn and what each one means (the 概况 tab, opened first: Markdown only)."""
    st.caption(t("ly_intro", lang))
    st.markdown(markdown_table(class_overview(ev.result, ev.config.shares, lang)))
    above, below = (_weight_shares(w) for w in (ev.config.weights, ev.config.weights_below))
    st.caption(t("ly_weights_in_use", lang).format(above=above, below=below) + " " + _score_explained(ev))


def _weight_shares(weights: dict[str, float]) -> str:
    """Indicator weights as shares of their sum, e.g. "单位用地税收 40% · 单位能耗销售收入 20%"."""
    total = sum(weights.values()) or 1.0
    return " · ".join(f"{INDICATORS[k].zh if lang == 'zh' else INDICATORS[k].en} {w / total:.0%}"
                      for k, w in weights.items() if w)  # fmt: skip


def _filters(ev: Evaluation) -> FirmFilter:
    """District, class and scale filters; they apply to the firm table and the map's firm points."""
    if not ANALYST:
        return FirmFilter()
    res = ev.result
    st.caption(t("ly_filters", lang))
    districts = st.multiselect(t("ly_filter_district", lang), sorted(res["district"].dropna().unique()),
                               key="ly_f_district")  # fmt: skip
    classes = st.multiselect(t("ly_filter_class", lang), ["A", "B", "C", "D", "T", ""],
                             format_func=lambda c: c or "—", key="ly_f_class")  # fmt: skip
    scales = st.multiselect(t("ly_filter_scale", lang), ["规上", "规下"], key="ly_f_scale")
    return FirmFilter(tuple(districts), tuple(classes), tuple(scales))


def _search(ev: Evaluation) -> tuple[pd.Series | None, tuple[str, str] | None]:
    """One search box: a firm by name or 统一社会信用代码 (analysts), else a place or coordinates.

    Returns the firm chosen (or None) and where the map should open (or None).
    """
    hint = t("ly_search_hint" if ANALYST else "place_search_hint", lang)
    query = st.text_input(t("ly_search", lang), key="ly_search", placeholder=hint, label_visibility="collapsed")
    if not query.strip():
        return None, None
    found = find_firms(ev.result, query) if ANALYST else ev.result.iloc[0:0]
    if found.empty:
        return None, place_search("ly_search", lang, query)
    if len(found) == 1:
        firm = found.iloc[0]
    else:
        pick = st.selectbox(t("ly_search_pick", lang).format(n=len(found)), list(range(len(found))),
                            key="ly_search_pick", format_func=lambda i: f"{found.iloc[i]['name']} · "
                            f"{found.iloc[i]['credit_code']} · {found.iloc[i]['district']}")  # fmt: skip
        firm = found.iloc[int(pick)]
    located = not pd.isna(firm["lon"]) and firm.geometry is not None and not firm.geometry.is_empty
    return firm, ((firm.geometry.wkt, str(firm["name"])) if located else None)


def _firm_panel(firm: pd.Series) -> None:
    """The firm found: class, score, rank in its cohort, and each indicator against the cohort median."""
    st.markdown(f"**{md(firm['name'])}** · {md(firm['credit_code'])} · {md(firm['district'])} · {md(firm['scale'])}")
    c1, c2, c3 = st.columns(3)
    c1.metric(t("ly_class", lang), f"{firm['class'] or '—'} {firm['class_name'] if lang == 'zh' else ''}".strip())
    c2.metric(t("ly_score", lang), "—" if pd.isna(firm["score"]) else f"{firm['score']:.1f}")
    rank = (
        "—"
        if pd.isna(firm.get("rank"))
        else t("ly_rank_of", lang).format(r=int(firm["rank"]), n=int(firm["group_size"]))
    )
    c3.metric(t("ly_rank", lang), rank)
    profile = firm_profile(firm, lang)
    if not profile.empty:
        st.dataframe(profile, hide_index=True, width="stretch", placeholder="—")


def _newly_found(firm: pd.Series | None) -> bool:
    """Whether ``firm`` is a firm just found: a search (typed, or "在表中选中" on the map) or a pick
    among several matches not answered before. Then the page opens the firm table on its row
    (when the overview is open; another tab the planner chose stays)."""
    found = (str(st.session_state.get("ly_search", "")).strip(), str(firm.name)) if firm is not None else None
    known = st.session_state.get("_ly_found")
    st.session_state["_ly_found"] = found
    return found is not None and found != known


def _table_rows(ev: Evaluation, chosen: FirmFilter, firm: pd.Series | None) -> pd.DataFrame:
    """The firms the results table lists: the filtered ones, the firm found first, at most MAX_ROWS_SHOWN."""
    shown = ev.result[chosen.mask(ev.result)]
    if firm is not None and firm.name in shown.index:
        shown = pd.concat([shown.loc[[firm.name]], shown.drop(index=firm.name)])
    return shown.head(MAX_ROWS_SHOWN)


def _selected(ev: Evaluation, chosen: FirmFilter, firm: pd.Series | None) -> tuple:
    """Row labels of the firms selected in the results table (its last state), for the map."""
    state_of_table = st.session_state.get("ly_table")
    rows = list(state_of_table["selection"]["rows"]) if state_of_table is not None else []
    listed = _table_rows(ev, chosen, firm)
    return tuple(int(listed.index[r]) for r in rows if 0 <= r < len(listed))


def _results(ev: Evaluation, chosen: FirmFilter, firm: pd.Series | None) -> None:
    if not ANALYST:
        st.info(t("ly_viewer_note", lang), icon=":material/lock:")
        return
    listed = _table_rows(ev, chosen, firm)
    table = results_table(listed, lang)
    explained = _score_explained(ev)
    score = result_header("score", lang)
    config = {score: st.column_config.NumberColumn(score, help=explained, format="%.1f")}
    if firm is not None and len(listed) and listed.index[0] == firm.name:  # the firm found or clicked: first, marked
        table = table.style.apply(lambda row: ["background-color: #fde68a"] * len(row) if row.name == 0 else
                                  [""] * len(row), axis=1)  # fmt: skip
    st.dataframe(table, hide_index=True, width="stretch", placeholder="—", height=320, column_config=config,
                 key="ly_table", on_select="rerun", selection_mode="multi-row")  # fmt: skip
    n = int(chosen.mask(ev.result).sum())
    st.caption(t("ly_rows_shown", lang).format(shown=len(listed), n=n, total=len(ev.result)) + " " +
               t("ly_select_rows", lang))  # fmt: skip
    st.caption(explained)


def _score_explained(ev: Evaluation) -> str:
    """Why a score can exceed 100: each indicator earns up to ``cap`` times its weight."""
    config = ev.config
    total = sum(config.weights.values())
    text = t("ly_score_explained", lang).format(total=f"{total:g}", cap=f"{config.cap:g}",
                                                 top=f"{total * config.cap:g}")  # fmt: skip
    below = sum(config.weights_below.values())
    if below != total:  # 规下 firms are scored on their own weights: their median and top differ
        text += " " + t("ly_score_explained_below", lang).format(total=f"{below:g}", top=f"{below * config.cap:g}")
    return text


def _charts(ev: Evaluation, clusters_fig: pd.DataFrame) -> None:
    left, right = st.columns(2)
    shares = class_summary(ev.result, "district")[["A", "B", "C", "D"]]
    if not ANALYST:  # a district's shares with fewer than 3 rated firms would show their classes
        shares = shares[shares.sum(axis=1) >= MIN_FIRMS]
    shares = shares.div(shares.sum(axis=1).where(lambda s: s > 0), axis=0) * 100
    left.caption(t("ly_chart_shares", lang) + " (%)")
    left.bar_chart(shares, horizontal=True, color=[CLASS_INFO[c]["colour"] for c in "ABCD"], height=320)
    right.caption(t("ly_chart_clusters", lang))
    ranked = clusters_fig[~clusters_fig["suppressed"]][["name", "tax_per_mu"]].sort_values(
        "tax_per_mu", ascending=False
    )
    if ranked.empty:  # every cluster has fewer than 3 rated firms: nothing to rank (not an empty "0.000000" chart)
        right.info(t("ly_chart_clusters_empty", lang))
    else:
        right.altair_chart(_ranking_chart(ranked, lang), width="stretch")


def _ranking_chart(ranked: pd.DataFrame, lang: str) -> alt.Chart:
    """Bars best first, one labelled row per cluster (st.bar_chart sorted the names and dropped labels)."""
    value = t("ly_tax_per_mu_axis", lang)
    frame = ranked.rename(columns={"name": "cluster", "tax_per_mu": "value"})
    return (
        alt.Chart(frame)
        .mark_bar(color="#3b6ea5")
        .encode(
            x=alt.X("value:Q", title=value),
            y=alt.Y("cluster:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)),
            tooltip=[alt.Tooltip("cluster:N", title=t("site_name", lang)), alt.Tooltip("value:Q", title=value,
                                                                                        format=",.1f")],
        )
        .properties(height=max(120, 24 * len(frame)))
    )  # fmt: skip


def _map_settings(key: InputKey) -> MapView:
    """The map's settings (in a popover above the map)."""
    default = default_view(ANALYST)
    show_firms = st.toggle(t("ly_show_firms", lang), value=True, key="ly_firms") if ANALYST else False
    level = st.selectbox(t("ly_area_level", lang), LEVELS, index=LEVELS.index(default.level), key="ly_level",
                         format_func=lambda v: t("ly_area_none" if v == "none" else f"ly_level_{v}", lang))  # fmt: skip
    values = [*INDICATORS, "score_mean"] + ([LEADING_SHARE] if level == "clusters" else [])
    if st.session_state.get("ly_value", default.value) not in values:  # 集聚度 is a figure of clusters only
        st.session_state["ly_value"] = default.value
    value = st.selectbox(t("ly_area_value", lang), values, index=values.index(default.value), key="ly_value",
                         format_func=lambda v: INDICATORS[v].zh if v in INDICATORS and lang == "zh"
                         else (INDICATORS[v].en if v in INDICATORS else t(f"ly_value_{v}", lang)))  # fmt: skip
    scheme = st.selectbox(t("ly_scheme", lang), list(SCHEMES), index=SCHEMES.index(default.scheme), key="ly_scheme",
                          format_func=lambda s: t(f"ly_scheme_{s}", lang))  # fmt: skip
    show_surface = st.toggle(t("ly_show_surface", lang), value=default.show_surface, key="ly_surface")
    show_hot = st.toggle(t("ly_show_hotspots", lang), value=default.show_hot, key="ly_hot")
    if show_hot:
        try:
            hot_spots_of(key)
        except ValueError as exc:
            st.warning(f"{t('ly_hotspot_error', lang)}：{md(exc)}")
            show_hot = False
    return MapView(show_firms, level, value, scheme, show_surface, show_hot)


def _downloads(ev: Evaluation, key: InputKey, shown: pd.DataFrame | None, level: str, view: MapView) -> None:
    c1, c2, c3, c4 = st.columns(4)
    layers = state.plan_layers()
    if ANALYST:
        c1.download_button(
            t("ly_dl_xlsx", lang), lambda: xlsx_bytes(result_sheets(ev, layers, lang, state.plan())),
            file_name="亩产效益评价结果.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="ly_dl_xlsx",
        on_click="ignore")  # fmt: skip
        located = ev.result[~ev.result.geometry.is_empty & ev.result.geometry.notna()]
        c2.download_button(t("ly_dl_points", lang), lambda: _geojson(located), file_name="enterprises.geojson",
                           mime="application/geo+json", key="ly_dl_points", on_click="ignore")  # fmt: skip
    if shown is not None:
        c3.download_button(t("ly_dl_areas", lang), lambda: _geojson(shown), file_name=f"areas_{level}.geojson",
                           mime="application/geo+json", key="ly_dl_areas", on_click="ignore")  # fmt: skip
        st.dataframe(area_table(shown, lang=lang) if "name" in shown else shown.drop(columns="geometry"),
                     hide_index=True, width="stretch", placeholder="—")  # fmt: skip
    c4.download_button(
        t("ly_dl_tif", lang), lambda: _tif(ev, key),
        file_name="tax_per_mu_250m_EPSG4549.tif", mime="image/tiff", key="ly_dl_tif",
    on_click="ignore")  # fmt: skip
    st.subheader(t("print_section", lang))
    notes = [t("print_ly_method", lang), t("print_sources", lang)] + (
        [t("ly_sample_banner", lang)] if ev.synthetic else []
    )
    print_panel(lambda: print_layers(key, view, lang), t("print_ly_title", lang), notes, key="ly_print")


def _tif(ev: Evaluation, key: InputKey) -> bytes:
    surface = surface_of(key)
    tags = {"value": "亩均税收 tax per mu", "unit": surface.unit, "radius_m": str(surface.radius_m)}
    if ev.synthetic:
        tags["data"] = SAMPLE_LABEL_EN
    return geotiff_bytes(surface.values, surface.transform, surface.crs, tags, "tax_per_mu")


def _geojson(gdf) -> bytes:
    return geojson_bytes(gdf)


st.title(t("ly_title", lang))
# Laid out map first (issue 12): the controls row and the map come first on the page, the notices and
# figures below, and the tables, charts, parameters and downloads in tabs under them. Only the open
# tab is built and sent (on_change="rerun"): the browser renders the map without first laying out a
# 1,000-row table, two charts and a parameter form (benchmarks/land_yield.py measures the page).
controls, map_box, notices = st.container(), st.container(), st.container()
data, filename = _input()
config_toml = _config_toml()
coords = st.session_state.get("ly_coords", "auto")
key = InputKey(data, filename, config_toml, coords)
try:
    with st.spinner(t("ly_working", lang)):
        evaluation = _evaluate(key)
except (InputError, ConfigError) as exc:
    notices.error(f"{t('ly_input_error', lang)}：{md(exc)}", icon=":material/error:")
    if ANALYST:  # parameters that cannot be used must stay editable
        _parameter_editor()
    st.stop()
st.session_state["ly_key"] = key  # the site-selection page overlays this evaluation
if ANALYST:  # an earlier year compared, a policy applied (chosen in their tabs)
    evaluation = with_extras(key, evaluation)
with controls:
    left, right, search = st.columns([1, 1, 3])
    with left.popover(t("ly_filter_button", lang), icon=":material/filter_alt:", width="stretch"):
        firm_filter = _filters(evaluation)
    with right.popover(t("ly_map_settings", lang), icon=":material/layers:", width="stretch"):
        view = _map_settings(key)
    with search:
        firm, focus = _search(evaluation)  # firms for analysts only; places for everyone
with map_box:
    marked, marked_label = marked_rows(key, evaluation) if ANALYST else ((), "")
    view = replace(view, chosen=firm_filter, focus=focus, marked=marked, marked_label=marked_label,
                   reviewed=reviewed_rows(evaluation) if ANALYST else (),
                   selected=_selected(evaluation, firm_filter, firm) if ANALYST else ())  # fmt: skip
    base_url_path = st.get_option("server.baseUrlPath") or ""
    st.iframe(map_html(key, view, lang, base_url_path), height=MapOptions.height + 10)
    if firm is not None:
        _firm_panel(firm)
        firm_history(evaluation, firm, lang)
# The notices sit below the map; filled after it, they reach the browser after the map, which then
# draws while they are laid out (benchmarks/land_yield.py).
with notices:
    # a run reopened from the workspace: same classes as saved (before any objection's review)?
    check_run(key, evaluation.result, lang)
    if evaluation.synthetic:
        st.warning(t("ly_sample_banner", lang), icon=":material/science:")
    _validation(evaluation)
    _class_counts(evaluation)
chosen_level = view.level
chosen_areas = areas(key, chosen_level) if chosen_level != "none" else None
# The overview opens first; the firm table is opened on demand, as a GIS opens its attribute table:
# the table's grid costs the browser 0.3–0.5 s before the map paints (benchmarks/land_yield.py).
names = ["overview", "results", "charts", "downloads"]
names += ["validation", "sources", "years", "policy", "notice", "stock", "params", "save"] if ANALYST else []
labels = [t(f"ly_tab_{n}", lang) for n in names]
if st.session_state.get("ly_tab") not in labels:  # back from another page, or the language changed
    kept_tab = st.session_state.get("_ly_tab_name", "overview")
    st.session_state["ly_tab"] = labels[names.index(kept_tab)] if kept_tab in names else labels[0]
if _newly_found(firm) and st.session_state["ly_tab"] == labels[0]:  # a firm found or clicked: show its row
    st.session_state["ly_tab"] = labels[names.index("results")]
tabs = dict(zip(names, st.tabs(labels, key="ly_tab", on_change="rerun"), strict=True))
st.session_state["_ly_tab_name"] = names[labels.index(st.session_state["ly_tab"])]
with tabs["overview"]:
    if tabs["overview"].open:
        _overview(evaluation)
with tabs["results"]:
    if tabs["results"].open:
        _results(evaluation, firm_filter, firm)
with tabs["charts"]:
    if tabs["charts"].open:
        _charts(evaluation, areas(key, "clusters"))
with tabs["downloads"]:
    if tabs["downloads"].open:
        _downloads(evaluation, key, chosen_areas, chosen_level, view)
if ANALYST:
    with tabs["validation"]:
        if tabs["validation"].open:
            _validation_messages(evaluation)
    with tabs["sources"]:
        if tabs["sources"].open:
            join_report(evaluation, lang)
    with tabs["years"]:
        if tabs["years"].open:
            yearly_tab(evaluation, lang)
    with tabs["policy"]:
        if tabs["policy"].open:
            policy_tab(evaluation, lang)
    with tabs["notice"]:
        if tabs["notice"].open:
            notice_tab(key, evaluation, lang)
    with tabs["stock"]:
        if tabs["stock"].open:
            stock_tab(key, evaluation, lang)
    with tabs["params"]:
        if tabs["params"].open:
            _parameter_editor()
    with tabs["save"]:
        if tabs["save"].open:
            save_evaluation_panel(evaluation, key)
