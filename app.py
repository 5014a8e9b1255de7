"""Qingdao Manufacturing Layout Planner — Streamlit entry point.

Only navigation and the shared sidebar live here; every page is a module in ``views/``.
Run with ``streamlit run app.py`` (see README).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from i18n import t
from views import state
from webmap.assets import publish

ROOT = Path(__file__).resolve().parent

st.set_page_config(page_title="青岛制造业布局规划助手", page_icon=str(ROOT / "static" / "favicon.png"), layout="wide")
publish(ROOT / "static")  # Leaflet from the installed XStatic-Leaflet package, served by Streamlit

lang = state.language_switch()
st.sidebar.caption(t("app_subtitle", lang))

pages = [
    st.Page("views/map_page.py", title=t("page_map", lang), icon=":material/map:", url_path="map", default=True),
    st.Page(
        "views/land_yield_page.py", title=t("page_land_yield", lang), icon=":material/factory:", url_path="land_yield"
    ),
    st.Page("views/siting_page.py", title=t("page_siting", lang), icon=":material/travel_explore:", url_path="siting"),
    st.Page("views/kpi_page.py", title=t("page_kpi", lang), icon=":material/flag:", url_path="targets"),
    st.Page("views/data_page.py", title=t("page_data", lang), icon=":material/download:", url_path="data"),
]
st.navigation(pages).run()
