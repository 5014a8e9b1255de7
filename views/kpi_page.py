"""Plan targets page: the KPI table of plan 二(三), the industry taxonomy and the directives."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n import t
from layers.catalogue import directives, industries, kpis
from views import state
from views.concentration_panel import concentration_section

lang = state.lang()
en = lang == "en"
st.title(t("kpi_title", lang))
st.caption(t("kpi_caption", lang))

table = kpis()
view = pd.DataFrame(
    {
        ("Category" if en else "一级指标"): table["category_en" if en else "category"],
        ("Indicator" if en else "二级指标"): table["name_en" if en else "name"],
        ("Unit" if en else "单位"): table["unit"],
        ("2020" if en else "2020年"): table["baseline_2020"],
        ("Note" if en else "基期说明"): table["baseline_note"],
        ("2025 target" if en else "2025年目标"): table["target_2025"],
        ("Type" if en else "指标属性"): table["attribute_en" if en else "attribute"],
    }
)
st.dataframe(view, hide_index=True, width="stretch", placeholder="—")
binding = int((table["attribute"] == "约束性").sum())
c1, c2 = st.columns(2)
c1.metric(t("kpi_expected", lang), len(table) - binding)
c2.metric(t("kpi_binding", lang), binding)

concentration_section(lang)

st.subheader(t("industries", lang))
ind = industries()
st.dataframe(
    pd.DataFrame(
        {
            ("Group" if en else "类别"): ind["group_name_en" if en else "group_name"],
            ("Industry" if en else "产业"): ind["name_en" if en else "name"],
            ("Sub-sectors" if en else "细分领域"): ind["subsectors"].map("、".join),
            ("Section" if en else "规划章节"): ind["plan_section"],
        }
    ),
    hide_index=True,
    width="stretch",
    placeholder="—",
)

st.subheader(t("directives", lang))
d = directives()
st.dataframe(
    pd.DataFrame(
        {
            ("Kind" if en else "类型"): d["kind"],
            ("Industries" if en else "产业"): d["terms"].map("、".join),
            ("Plan text" if en else "规划原文"): d["text"],
            ("Section" if en else "章节"): d["plan_section"],
            ("Note" if en else "说明"): d["note"],
        }
    ),
    hide_index=True,
    width="stretch",
    placeholder="—",
)
