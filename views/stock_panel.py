"""The 存量企业 tab of the 亩产效益 page (issue 13, 7 and 8): existing firms against the plan, and low-efficiency land.

* relocation candidates — firms the plan sends elsewhere (chemical firms outside the chemical parks
  first), by the rules of site selection (:mod:`analysis.land_yield.relocation`);
* low-efficiency land — firms below the thresholds chosen here (:mod:`analysis.land_yield.low_efficiency`).

Each list has its figures per district (firms and 亩), the firms, XLSX and GeoJSON downloads, and
can be marked on the page's map (:func:`marked_rows` tells the map which firms).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.land_yield.low_efficiency import LowEfficiency, LowEfficiencyRules, RulesError, low_efficiency
from analysis.land_yield.relocation import PRIORITIES, relocation_candidates
from analysis.siting.config import SitingConfigError, load_siting_config
from files.candidates import (
    CRITERION_NAMES,
    PRIORITY_NAMES,
    candidate_sheets,
    candidates_bytes,
    low_efficiency_table,
    relocation_table,
)
from i18n import t
from views import state
from views.input_key import HASH_FUNCS
from views.text import md

__all__ = ["MARK", "low_efficiency_of", "marked_rows", "relocation_of", "stock_tab"]

MARK = "ly_mark"  # which list the map marks: "none", "relocation" or "low"
_RULES = "ly_low_rules"  # the thresholds chosen (a LowEfficiencyRules)
MAX_SHOWN = 1000
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=HASH_FUNCS)
def _relocation(key: tuple, config_toml: str | None, _result: pd.DataFrame) -> pd.DataFrame:
    plan = state.plan()
    config = load_siting_config(config_toml.encode("utf-8") if config_toml else None, plan)
    return relocation_candidates(_result, plan, state.siting_context(), config)


def relocation_of(key: tuple, result: pd.DataFrame) -> pd.DataFrame:
    """Relocation candidates of the evaluation ``key`` (the session's site-selection parameters, else the defaults)."""
    config = st.session_state.get("site_config")
    try:
        return _relocation(key, config, result)
    except SitingConfigError:
        return _relocation(key, None, result)


def _rules() -> LowEfficiencyRules:
    rules = st.session_state.get(_RULES)
    return rules if isinstance(rules, LowEfficiencyRules) else LowEfficiencyRules()


def low_efficiency_of(result: pd.DataFrame) -> LowEfficiency:
    """Low-efficiency candidates of ``result`` with the thresholds chosen in the tab."""
    return low_efficiency(result, _rules())


def marked_rows(key: tuple, evaluation) -> tuple[tuple[int, ...], str]:
    """Row labels of the firms the map marks, and the legend's label (none when nothing is marked)."""
    lang = state.lang()
    mark = st.session_state.get(MARK, "none")
    if mark == "relocation":
        rows = relocation_of(key, evaluation.result).index
        return tuple(int(i) for i in rows), t("ly_stock_mark_relocation", lang)
    if mark == "low":
        rows = low_efficiency_of(evaluation.result).candidates.index
        return tuple(int(i) for i in rows), t("ly_stock_mark_low", lang)
    return (), ""


def _downloads(kind: str, sheets: dict, result, index, lang: str) -> None:
    stem = {"relocation": ("搬迁入园候选", "relocation_candidates"), "low": ("低效用地候选", "low_efficiency")}[kind]
    name = stem[0 if lang == "zh" else 1]
    c1, c2, c3 = st.columns(3)
    c1.download_button("XLSX", lambda: candidates_bytes(".xlsx", sheets, result, index), file_name=f"{name}.xlsx",
                       mime=_XLSX, key=f"ly_stock_{kind}_xlsx", on_click="ignore",
                       icon=":material/download:")  # fmt: skip
    c2.download_button("GeoJSON", lambda: candidates_bytes(".geojson", sheets, result, index),
                       file_name=f"{name}.geojson", mime="application/geo+json", key=f"ly_stock_{kind}_geojson",
                       on_click="ignore", icon=":material/download:")  # fmt: skip
    marked = st.session_state.get(MARK) == kind
    if c3.toggle(t("ly_stock_on_map", lang), value=marked, key=f"ly_stock_{kind}_map_{lang}") != marked:
        st.session_state[MARK] = "none" if marked else kind
        st.rerun()


def _relocation_section(key: tuple, ev, lang: str) -> None:
    i = 0 if lang == "zh" else 1
    st.subheader(t("ly_stock_relocation", lang))
    st.caption(t("ly_stock_relocation_caption", lang))
    found = relocation_of(key, ev.result)
    sheets = candidate_sheets("relocation", ev.result, relocation_table(ev.result, found, state.plan(), lang), found,
                              lang)  # fmt: skip
    land = pd.to_numeric(found["land_mu"], errors="coerce")
    for col, p in zip(st.columns(len(PRIORITIES)), PRIORITIES, strict=True):
        part = found["priority"] == p
        col.metric(PRIORITY_NAMES[p][i].split("（")[0].split(" (")[0], f"{int(part.sum()):,}",
                   f"{land[part].sum():,.0f} {'亩' if i == 0 else 'mu'}", delta_color="off", delta_arrow="off",
                   help=PRIORITY_NAMES[p][i])  # fmt: skip
    tables = list(sheets.values())
    st.dataframe(tables[1], hide_index=True, width="stretch", placeholder="—")
    st.dataframe(tables[0].head(MAX_SHOWN), hide_index=True, width="stretch", placeholder="—", height=300)
    _downloads("relocation", sheets, ev.result, found.index, lang)


def _thresholds(lang: str) -> None:
    rules = _rules()
    with st.form("ly_low_form"):
        c1, c2, c3 = st.columns(3)
        share = c1.number_input(t("ly_stock_low_share", lang), 0, 100, round(rules.tax_share_of_median * 100), 5)
        years = c2.number_input(t("ly_stock_low_years", lang), 0, 20, rules.d_years, 1)
        least = c3.number_input(t("ly_stock_low_min_mu", lang), 0.0, 10000.0, rules.min_land_mu, 1.0)
        idle = st.checkbox(t("ly_stock_low_idle", lang), value=rules.idle)
        if st.form_submit_button(t("ly_stock_low_apply", lang), icon=":material/refresh:"):
            try:
                st.session_state[_RULES] = LowEfficiencyRules(share / 100, int(years), idle, float(least))
            except RulesError as exc:
                st.error(md(exc))
                return
            st.rerun()


def _low_section(ev, lang: str) -> None:
    i = 0 if lang == "zh" else 1
    st.subheader(t("ly_stock_low", lang))
    st.caption(t("ly_stock_low_caption", lang))
    _thresholds(lang)
    found = low_efficiency_of(ev.result)
    for zh, en in found.notes:
        st.info(zh if i == 0 else en, icon=":material/info:")
    c = found.candidates
    land = pd.to_numeric(c["land_mu"], errors="coerce")
    cols = st.columns(4)
    cols[0].metric(t("ly_stock_low_total", lang), f"{len(c):,}", f"{land.sum():,.0f} {'亩' if i == 0 else 'mu'}",
                   delta_color="off", delta_arrow="off")  # fmt: skip
    for col, (k, names) in zip(cols[1:], CRITERION_NAMES.items(), strict=True):
        hit = c["criteria"].map(lambda cs, k=k: k in cs).astype(bool)
        col.metric(names[i], f"{int(hit.sum()):,}", f"{land[hit].sum():,.0f} {'亩' if i == 0 else 'mu'}",
                   delta_color="off", delta_arrow="off")  # fmt: skip
    st.caption(t("ly_stock_low_median", lang).format(median=f"{found.median_tax_per_mu:.2f}"))
    sheets = candidate_sheets("low_efficiency", ev.result, low_efficiency_table(ev.result, found, lang), c, lang,
                              found.notes)  # fmt: skip
    tables = list(sheets.values())
    st.dataframe(tables[1], hide_index=True, width="stretch", placeholder="—")
    st.dataframe(tables[0].head(MAX_SHOWN), hide_index=True, width="stretch", placeholder="—", height=300)
    _downloads("low", sheets, ev.result, c.index, lang)


def stock_tab(key: tuple, ev, lang: str) -> None:
    """The 存量企业 tab (analysts: it lists firms)."""
    _relocation_section(key, ev, lang)
    _low_section(ev, lang)
