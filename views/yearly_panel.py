"""Year on year and differentiated prices on the 亩产效益 page (issue 13, 3 and 4); five sample years for the workspace.

* :func:`with_extras` — the evaluation shown, with the objection register of its saved run in force
  (:mod:`views.notice_panel`), compared with the saved run of an earlier year the
  analyst chose (上年类别, 类别变化, 连续D类年数) and with a policy table applied (差别化 columns);
* :func:`yearly_tab` — the 历年对比 tab: the transition matrix, firms rated D in a row, trends per
  district and per cluster over every saved year;
* :func:`policy_tab` — the 差别化政策 tab: choose the bundled example (not official) or a file,
  totals per class and district;
* :func:`firm_history` — a firm over the saved years, under its panel;
* :func:`save_sample_years` — the five-year synthetic departments' tables evaluated and saved, so
  that everything above can be shown offline.
"""

from __future__ import annotations

import dataclasses

import altair as alt
import geopandas as gpd
import pandas as pd
import streamlit as st

from analysis.land_yield.aggregate import MIN_FIRMS
from analysis.land_yield.config import INDICATORS, ConfigError, load_config
from analysis.land_yield.history import firm_years, trends
from analysis.land_yield.objections import Objection, apply_objections
from analysis.land_yield.pipeline import (
    Evaluation,
    apply_objections_to,
    apply_policy_to,
    compare_previous,
    evaluate_sources,
)
from analysis.land_yield.policy import PolicyError, load_policy
from analysis.land_yield.report import policy_summary, result_header, results_table
from files.bundle import Bundle, pack, read_sources
from geo.crs import to_wgs84
from i18n import t
from store import WorkspaceError
from views import state
from views.input_key import HASH_FUNCS
from views.notice_panel import objection_register
from views.text import md

__all__ = ["firm_history", "policy_tab", "previous_runs", "save_sample_years", "saved_years", "with_extras",
           "yearly_tab"]  # fmt: skip

PREVIOUS, POLICY = "ly_previous_run", "ly_policy"  # the chosen earlier run (fid), the policy (TOML bytes)
POLICY_MODE = "ly_policy_kind"  # none, example or file


def _runs() -> pd.DataFrame:
    try:
        return state.workspace().yearly_runs()
    except WorkspaceError:
        return pd.DataFrame(columns=["fid", "name", "evaluation_year", "config_toml", "created_at"])


def previous_runs(year: int) -> pd.DataFrame:
    """Saved runs standing for years before ``year`` (the latest run of each), latest year first."""
    runs = _runs()
    return runs[runs["evaluation_year"] < year].sort_values("evaluation_year", ascending=False)


@st.cache_resource(show_spinner=False, max_entries=16)
def _stored(location: str, fid: int, saved_at: str, register: tuple[tuple[str, ...], ...]) -> gpd.GeoDataFrame:
    """A saved run's firms with its objection register in force (read once per run and register; runs are
    never changed, only deleted — ``saved_at`` tells a run from a later one that reuses a deleted run's id)."""
    firms = state.workspace().evaluation_firms(fid)
    if register:
        firms, _ = apply_objections(firms, [Objection(*entry) for entry in register])
    return firms


def _stored_firms(location: str, fid: int, saved_at: str) -> gpd.GeoDataFrame:
    """A saved run's firms, classes as decided on objection (its register), as the year is compared."""
    register = tuple(tuple(o.__dict__.values()) for o in state.workspace().objections(fid))
    return _stored(location, fid, saved_at, register)


def saved_years() -> dict[int, gpd.GeoDataFrame]:
    """Every year saved in the workspace: its run's firms (the latest run of each year)."""
    try:
        ws = state.workspace()
    except WorkspaceError:
        return {}
    return {int(r.evaluation_year): _stored_firms(str(ws.location), int(r.fid), str(r.created_at))
            for r in _runs().itertuples()}  # fmt: skip


def _history(current_year: int, current: pd.DataFrame) -> dict[int, pd.DataFrame]:
    """Every saved year before this one, and this evaluation as its year."""
    ws = state.workspace()
    years = {int(r.evaluation_year): _stored_firms(str(ws.location), int(r.fid), str(r.created_at))
             for r in _runs().itertuples() if int(r.evaluation_year) < current_year}  # fmt: skip
    years[current_year] = current
    return years


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=HASH_FUNCS)
def _extras(
    key: tuple,
    previous: tuple[int, str] | None,
    policy_toml: bytes | None,
    register: tuple[tuple[str, ...], ...],
    _evaluation: Evaluation,
) -> Evaluation:
    ev = _evaluation
    if register:  # first: the year-on-year comparison and the policy follow the class after review
        ev = apply_objections_to(ev, [Objection(*entry) for entry in register])
    previous_fid = previous[0] if previous else None
    if previous_fid is not None:
        runs = _runs().set_index("fid")
        row = runs.loc[previous_fid]
        try:
            config = load_config(str(row["config_toml"]).encode("utf-8"))
        except ConfigError:
            config = None
        firms = _stored_firms(str(state.workspace().location), int(previous_fid), str(row["created_at"]))
        ev = compare_previous(ev, firms, config, int(row["evaluation_year"]))
    if policy_toml is not None:
        ev = apply_policy_to(ev, load_policy(policy_toml))
    return ev


def with_extras(key: tuple, evaluation: Evaluation) -> Evaluation:
    """The evaluation with the earlier year and the policy chosen on the page (analysts), else as it is."""
    fid = st.session_state.get(PREVIOUS)
    if fid is not None and fid not in set(previous_runs(evaluation.config.evaluation_year)["fid"]):
        fid = None  # deleted, or not before this year any more
    policy = st.session_state.get(POLICY)
    register = tuple(tuple(o.__dict__.values()) for o in objection_register(evaluation, key))
    if fid is None and policy is None and not register:
        return evaluation
    stamp = None
    if fid is not None:
        runs = previous_runs(evaluation.config.evaluation_year).set_index("fid")
        stamp = (int(fid), str(runs.loc[fid, "created_at"]))
    return _extras(key, stamp, policy, register, evaluation)


def _previous_picker(ev: Evaluation, lang: str) -> None:
    runs = previous_runs(ev.config.evaluation_year)
    if runs.empty:
        st.info(t("ly_years_none", lang).format(year=ev.config.evaluation_year), icon=":material/history:")
        return
    labels: dict[int | None, str] = {None: t("ly_years_no_compare", lang)}
    labels.update({int(r.fid): f"{int(r.evaluation_year)} · {r.name} (#{int(r.fid)})" for r in runs.itertuples()})
    options = list(labels)
    current = st.session_state.get(PREVIOUS)
    choice = st.selectbox(t("ly_years_compare", lang), options, index=options.index(current) if current in options
                          else 0, format_func=labels.__getitem__, key=f"ly_previous_pick_{lang}")  # fmt: skip
    if choice != current and (choice is None or choice in labels):
        st.session_state[PREVIOUS] = choice
        st.rerun()


def yearly_tab(ev: Evaluation, lang: str) -> None:
    """The 历年对比 tab."""
    _previous_picker(ev, lang)
    if ev.previous is not None:
        for zh, en in ev.previous.warnings:
            st.warning(zh if lang == "zh" else en, icon=":material/warning:")
        st.markdown(f"**{t('ly_years_matrix', lang).format(before=ev.previous.year, now=ev.config.evaluation_year)}**")
        st.dataframe(ev.previous.transitions(lang), width="stretch")
        repeated = ev.result[ev.result["consecutive_d"] >= 2].sort_values("consecutive_d", ascending=False)
        st.markdown(f"**{t('ly_years_repeated_d', lang).format(n=len(repeated))}**")
        if len(repeated):
            columns = ["name", "credit_code", "district", "consecutive_d", "score", "tax_per_mu", "status"]
            shown = results_table(repeated[columns], lang).drop(columns=result_header("status", lang))
            st.dataframe(shown, hide_index=True, width="stretch", placeholder="—", height=240)
    history = _history(ev.config.evaluation_year, ev.result)
    if len(history) < 2:
        return
    st.markdown(f"**{t('ly_years_trends', lang).format(first=min(history), last=max(history))}**")
    by = st.radio(t("ly_years_by", lang), ("district", "cluster"), horizontal=True, key=f"ly_years_by_{lang}",
                  format_func=lambda b: t(f"ly_years_by_{b}", lang))  # fmt: skip
    if by == "cluster":
        clusters = state.plan_layers()["clusters"][["id", "name", "geometry"]]
        history = {y: _with_cluster(frame, clusters) for y, frame in history.items()}
    table = trends(history, by)
    table = table[table["n_rated"] >= MIN_FIRMS]  # as every area figure: fewer than 3 firms are not shown
    chart = alt.Chart(table).mark_line(point=True).encode(
        x=alt.X("year:O", title=t("ly_years_year", lang)),
        y=alt.Y("tax_per_mu:Q", title=t("ly_tax_per_mu_axis", lang)),
        color=alt.Color(f"{by}:N", title=t(f"ly_years_by_{by}", lang)),
        tooltip=["year", by, "tax_per_mu", "revenue_per_mu", "n_rated"],
    )  # fmt: skip
    st.altair_chart(chart, width="stretch")
    shown = table.assign(**{f"share_{c}": (table[f"share_{c}"] * 100).round(1) for c in "ABCD"})
    headers = {k: v[0 if lang == "zh" else 1] for k, v in _TREND_HEADERS.items()}
    headers[by] = t(f"ly_years_by_{by}", lang)
    st.dataframe(shown.round(2).rename(columns=headers), hide_index=True, width="stretch", placeholder="—", height=240)


_TREND_HEADERS = {
    "year": ("年度", "year"), "n_rated": ("参评企业数", "rated firms"), "land_mu": ("用地面积(亩)", "land (mu)"),
    "tax": ("税收(万元)", "tax (10k CNY)"), "tax_per_mu": ("亩均税收(万元/亩)", "tax per mu (10k CNY/mu)"),
    "revenue_per_mu": ("亩均营业收入(万元/亩)", "revenue per mu (10k CNY/mu)"),
    **{f"share_{c}": (f"{c} 类占比(%)", f"share {c} (%)") for c in "ABCD"},
}  # fmt: skip


def _with_cluster(frame: pd.DataFrame, clusters: gpd.GeoDataFrame) -> pd.DataFrame:
    """The firms inside a cluster, each with the cluster's name in ``cluster``."""
    located = gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)
    located = located[located.geometry.notna() & ~located.geometry.is_empty]
    hits = gpd.sjoin(located, to_wgs84(clusters), predicate="within", how="inner")
    return pd.DataFrame(hits.drop(columns=["geometry", "index_right"])).rename(
        columns={"name_right": "cluster", "name_left": "name"}
    )


def firm_history(ev: Evaluation, firm: pd.Series, lang: str) -> None:
    """The firm over the saved years: class, score, rank and its indicators against the cohort medians."""
    history = _history(ev.config.evaluation_year, ev.result)
    if len(history) < 2 or not firm.get("credit_code"):
        return
    years = firm_years(history, str(firm["credit_code"]))
    if len(years) < 2:
        return
    st.caption(t("ly_years_firm", lang))
    rename = {"year": t("ly_years_year", lang), "class": result_header("class", lang),
              "score": result_header("score", lang), "rank": result_header("rank", lang),
              "group_size": result_header("group_size", lang)}  # fmt: skip
    for ind_id, ind in INDICATORS.items():
        rename[ind_id] = f"{ind.zh if lang == 'zh' else ind.en}({ind.unit})"
        rename[f"bench_{ind_id}"] = t("ly_years_median", lang).format(name=ind.zh if lang == "zh" else ind.en)
    st.dataframe(years.rename(columns=rename), hide_index=True, width="stretch", placeholder="—")


def policy_tab(ev: Evaluation, lang: str) -> None:
    """The 差别化政策 tab: which policy table (none, the example, a file), totals per class and district."""
    modes = ("none", "example", "file")
    kept = st.session_state.get(POLICY_MODE, "none")
    index = modes.index(kept) if kept in modes else 0
    choice = st.radio(t("ly_policy_choice", lang), modes, horizontal=True, index=index,
                      format_func=lambda c: t(f"ly_policy_{c}", lang), key=f"ly_policy_mode_{lang}")  # fmt: skip
    st.session_state[POLICY_MODE] = choice  # kept across languages (each language has its own widget)
    if choice == "none":
        if st.session_state.pop(POLICY, None) is not None:
            st.rerun()
        st.caption(t("ly_policy_help", lang))
        return
    if choice == "example" and st.session_state.get(POLICY) != _example():
        st.session_state[POLICY] = _example()
        st.rerun()
    if choice == "file":
        upload = st.file_uploader(t("ly_policy_upload", lang), type=["toml"], key="ly_policy_file")
        if upload is not None and st.session_state.get(POLICY) != upload.getvalue():
            try:
                load_policy(upload.getvalue())
            except PolicyError as exc:
                st.error(md(exc))
                return
            st.session_state[POLICY] = upload.getvalue()
            st.rerun()
    if ev.policy is None:
        return
    title = ev.policy.title if lang == "zh" else ev.policy.title_en
    (st.info if ev.policy.official else st.warning)(t("ly_policy_in_use", lang).format(title=md(title)))
    missing = int((ev.result["policy_note_zh"] != "").sum())
    if missing:
        st.caption(t("ly_policy_missing", lang).format(n=missing))
    for by in ("class", "district"):
        st.dataframe(policy_summary(ev.result, by, lang), hide_index=True, width="stretch", placeholder="—")


@st.cache_data(show_spinner=False)
def _example() -> bytes:
    from analysis.land_yield.policy import DEFAULT_POLICY_PATH

    return DEFAULT_POLICY_PATH.read_bytes()


def save_sample_years(user: str | None, n: int = 3000) -> list[int]:
    """Five years (2021–2025) of synthetic departments' tables, each joined, evaluated and saved as that year's run."""
    from samples.departments import department_tables, synthetic_years

    layers = state.plan_layers()
    ws = state.workspace()
    saved = []
    base = load_config(None)
    previous = None
    for year, firms in synthetic_years(n, layers["districts"], layers["clusters"]).items():
        tables = department_tables(firms, seed=year)
        files = tuple((name, f"{name}_{year}.csv", frame.to_csv(index=False).encode("utf-8"))
                      for name, frame in tables.items())  # fmt: skip
        bundle = Bundle(files)
        config = dataclasses.replace(base, evaluation_year=year)
        ev = evaluate_sources(read_sources(bundle), config, layers["districts"])
        if previous is not None:  # each year compared with the one before: D years in a row are stored
            ev = compare_previous(ev, previous.result, previous.config, previous.config.evaluation_year)
        previous = ev
        name = f"合成样例 {year}（多部门）"
        dataset = ws.save_dataset(name, "enterprises", f"{bundle.label}_{year}", pack(bundle), user=user,
                                  n_features=ev.accounting()["input"])  # fmt: skip
        saved.append(ws.save_evaluation(name, ev, config.to_toml(), dataset, user=user))
    return saved
