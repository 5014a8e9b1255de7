"""主导产业集聚度 on the plan targets page (issue 13, 6): each cluster against the plan's target, over the years.

The firms are those of the 亩产效益 evaluation last shown (else the bundled data set); the years are
the runs saved in the workspace. Figures of clusters with fewer than 3 firms are blank for viewers.
A button opens the 亩产效益 map on the clusters coloured by the indicator.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from analysis.land_yield.concentration import cluster_concentration, concentration_over_years
from analysis.land_yield.pipeline import InputError
from analysis.land_yield.report import VERDICTS, concentration_table
from i18n import t
from views import state
from views.text import md
from views.yearly_panel import saved_years
from webmap.land_yield_map import LEADING_SHARE
from webmap.palette import VERDICT_COLOURS

__all__ = ["concentration_section"]


def _chart(frame: pd.DataFrame, target: float, lang: str) -> alt.LayerChart:
    """Bars of the share (best first) with the range where industries are unknown, and the target as a rule."""
    i = 0 if lang == "zh" else 1
    shown = frame.assign(verdict_label=frame["verdict"].map(lambda v: VERDICTS[v][i]))
    if i == 1:
        shown["name"] = shown["name_en"]
    axis = t("kpi_conc_axis", lang)
    order = sorted(VERDICTS, key=list(VERDICT_COLOURS).index)
    colour = alt.Color("verdict_label:N", title=None, scale=alt.Scale(
        domain=[VERDICTS[v][i] for v in order], range=[VERDICT_COLOURS[v] for v in order]))  # fmt: skip
    y = alt.Y("name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False))
    bars = alt.Chart(shown).mark_bar().encode(
        x=alt.X("share_pct:Q", title=axis, scale=alt.Scale(domain=[0, 100])), y=y, color=colour,
        tooltip=[alt.Tooltip("name:N", title=t("site_name", lang)),
                 alt.Tooltip("share_pct:Q", title=axis, format=".1f"),
                 alt.Tooltip("share_max_pct:Q", title=t("kpi_conc_max", lang), format=".1f"),
                 alt.Tooltip("verdict_label:N", title=t("kpi_conc_verdict", lang))],
    )  # fmt: skip
    ranges = alt.Chart(shown).mark_rule(color="#555", strokeDash=[2, 2]).encode(x="share_pct:Q", x2="share_max_pct:Q",
                                                                              y=y)  # fmt: skip
    rule = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color="#b2182b", strokeWidth=2).encode(x="target:Q")
    return (bars + ranges + rule).properties(height=max(160, 26 * len(shown)))


def _years(current, lang: str, analyst: bool) -> None:
    """Share and 亩均税收 per cluster over the saved years (and the evaluation shown, when its year is not saved)."""
    history = saved_years()
    history.setdefault(current.config.evaluation_year, current.result)
    if len(history) < 2:
        st.caption(t("kpi_conc_no_years", lang))
        return
    plan = state.plan()
    table = concentration_over_years(history, state.plan_layers()["clusters"], plan)
    table = table[~table["suppressed"]] if not analyst else table
    if lang == "en":
        table = table.assign(name=table["name_en"])
    st.markdown(f"**{t('kpi_conc_years', lang).format(first=min(history), last=max(history))}**")
    year = alt.X("year:O", title=t("ly_years_year", lang))
    cluster = alt.Color("name:N", title=None, scale=alt.Scale(scheme="tableau20"),
                        legend=alt.Legend(orient="right", labelLimit=280))  # fmt: skip
    for value, title in (("share_pct", t("kpi_conc_axis", lang)), ("tax_per_mu", t("ly_tax_per_mu_axis", lang))):
        chart = alt.Chart(table).mark_line(point=True).encode(
            x=year, y=alt.Y(f"{value}:Q", title=title, scale=alt.Scale(zero=False)), color=cluster,
            tooltip=["year", "name", alt.Tooltip(f"{value}:Q", format=".1f")],
        ).properties(height=300)  # fmt: skip
        if value == "share_pct":  # the plan's target as a line
            rule = pd.DataFrame({"target": [plan.cluster_target.threshold_pct]})
            chart = chart + alt.Chart(rule).mark_rule(color="#b2182b", strokeDash=[4, 3]).encode(y="target:Q")
        st.altair_chart(chart, width="stretch")


def concentration_section(lang: str) -> None:
    """The section of the targets page."""
    analyst = st.session_state["auth_user"].has("analyst") if "auth_user" in st.session_state else False
    plan = state.plan()
    target = plan.cluster_target
    st.subheader(t("kpi_conc_title", lang))
    st.caption(t("kpi_conc_caption", lang).format(pct=f"{target.threshold_pct:g}", year=target.year,
                                                   section=target.plan_section))  # fmt: skip
    try:
        ev = state.evaluation(state.evaluation_key())
    except (InputError, ValueError) as exc:
        st.error(md(exc))
        return
    if ev.synthetic:
        st.warning(t("ly_sample_banner", lang), icon=":material/science:")
    frame = cluster_concentration(ev.result, state.plan_layers()["clusters"], plan)
    shown = frame if analyst else frame[~frame["suppressed"]]
    counts = shown["verdict"].value_counts()  # a viewer's counts leave out the clusters not shown
    c1, c2, c3 = st.columns(3)
    c1.metric(VERDICTS["meets"][0 if lang == "zh" else 1], int(counts.get("meets", 0)))
    c2.metric(VERDICTS["below"][0 if lang == "zh" else 1], int(counts.get("below", 0)))
    c3.metric(VERDICTS["undetermined"][0 if lang == "zh" else 1], int(counts.get("undetermined", 0)))
    st.altair_chart(_chart(shown, target.threshold_pct, lang), width="stretch")
    st.dataframe(concentration_table(frame, lang, viewer=not analyst), hide_index=True, width="stretch",
                 placeholder="—")  # fmt: skip
    if st.button(t("kpi_conc_map", lang), icon=":material/map:", key="kpi_conc_map"):
        st.session_state["ly_level"] = "clusters"
        st.session_state["ly_value"] = LEADING_SHARE
        st.switch_page("views/land_yield_page.py")
    _years(ev, lang, analyst)
