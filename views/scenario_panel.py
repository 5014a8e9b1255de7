"""Scenarios on the site-selection page (issue 14, 4): save the parameters shown under a name, compare rankings.

The current parameters are always the base; saved scenarios (the workspace, latest version per name) are
ranked for the same project with :func:`analysis.siting.scenarios.run_scenarios` and put side by side
with :func:`analysis.siting.scenarios.compare`. Analysts save; everyone compares.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.siting.config import SitingConfig
from analysis.siting.rank import SiteResult
from analysis.siting.scenarios import MAX_SCENARIOS, Comparison, Scenario, ScenarioError, load_scenario
from files.study_report import comparison_table, tau_text
from i18n import t
from store.workspace import WorkspaceError
from views import state
from views.text import md

__all__ = ["scenario_panel"]

CHANGED = "background-color: #fde68a"  # the marked-row yellow of the ranking tables


def _styled(cmp: Comparison, table: pd.DataFrame, lang: str, kind: str) -> object:
    frame = (cmp.clusters if kind == "clusters" else cmp.plots).reset_index(drop=True)

    def mark(column: pd.Series) -> list[str]:
        for i, name in enumerate(cmp.names[1:], start=1):
            if column.name == f"{name} · {t('site_rank', lang)}":
                return [CHANGED if c != 0 else "" for c in frame[f"change_{i}"]]
        return [""] * len(column)

    return table.style.apply(mark, axis=0).format(precision=1)  # Styler shows 6 decimals by default


def _save(config: SitingConfig, lang: str) -> None:
    with st.form("site_scenario_save"):
        st.caption(t("scn_save_hint", lang))
        name = st.text_input(t("scn_name", lang), key="scn_name")
        c1, c2 = st.columns(2)
        corridor = c1.number_input(t("corridor_width", lang), 0.5, 50.0, 5.0, 0.5, key="scn_corridor")
        exclusion = c2.checkbox(t("scn_exclusion", lang), value=True, key="scn_exclusion")
        if st.form_submit_button(t("scn_save", lang), icon=":material/save:"):
            try:
                scenario = Scenario(name, config, corridor_half_width_m=1000 * float(corridor), exclusion=exclusion)
                state.workspace().save_scenario(scenario.name, scenario.to_toml(),
                                                user=st.session_state["auth_user"].username)  # fmt: skip
                st.success(t("scn_saved", lang).format(name=scenario.name), icon=":material/check:")
            except (ScenarioError, WorkspaceError) as exc:
                st.error(md(exc))


def scenario_panel(result: SiteResult, run: object, lang: str, analyst: bool) -> Comparison | None:
    """The expander; ``run(scenarios)`` returns the comparison (cached by the page). Returns it, or None."""
    with st.expander(t("scn_title", lang), icon=":material/compare_arrows:"):
        if analyst:
            _save(result.config, lang)
        saved = state.workspace().scenarios()
        if saved.empty:
            st.caption(t("scn_none_saved", lang))
            return None
        names = saved["name"].tolist()
        chosen = st.multiselect(t("scn_compare", lang), names, key="scn_chosen", max_selections=MAX_SCENARIOS - 1,
                                help=t("scn_compare_help", lang))  # fmt: skip
        if not chosen:
            return None
        tomls = saved.set_index("name")["scenario_toml"]
        try:
            scenarios = [load_scenario(tomls[n].encode("utf-8"), state.plan()) for n in chosen]
            cmp = run(tuple(s.to_toml() for s in scenarios))  # type: ignore[operator]
        except ScenarioError as exc:
            st.error(md(exc))
            return None
        st.caption(f"{t('scn_tau', lang)} {tau_text(cmp, lang)}")
        for name, moved in zip(cmp.names[1:], cmp.first_changes()[1:], strict=True):
            if moved:
                st.warning(t("scn_first_changes", lang).format(name=name), icon=":material/swap_vert:")
        for kind in ("clusters", "plots"):
            table = comparison_table(cmp, lang, kind)
            if len(table):
                st.markdown(f"**{t('site_clusters' if kind == 'clusters' else 'site_plots', lang)}**")
                st.dataframe(_styled(cmp, table, lang, kind), hide_index=True, width="stretch")
        return cmp
