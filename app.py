"""Qingdao Manufacturing Layout Planner — Streamlit entry point.

Only navigation and the shared sidebar live here; every page is a module in ``views/``.
Run with ``streamlit run app.py`` (see README).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from i18n import t
from views import auth, layout, reaper, state, widget_language
from webmap.assets import publish

ROOT = Path(__file__).resolve().parent

st.set_page_config(page_title="青岛制造业布局规划助手", page_icon=str(ROOT / "static" / "favicon.png"), layout="wide")
publish(ROOT / "static")  # Leaflet from the installed XStatic-Leaflet package, served by Streamlit
reaper.start()  # frees closed sessions after their reconnect time (views/reaper.py)

lang = state.language_switch()
widget_language.apply(lang)  # Streamlit's own English widget texts in Chinese in zh mode
layout.apply()  # compact header; maps fill the window
user = auth.current_user(lang)
single = user is auth.LOCAL_ADMIN
st.sidebar.caption(t("app_subtitle", lang) + (" · " + t("auth_single_user_short", lang) if single else ""),
                   help=t("auth_single_user", lang) if single else None)  # fmt: skip
if user is None:  # the sign-in form is on screen
    st.stop()
st.session_state["auth_user"] = user
if user is not auth.LOCAL_ADMIN:
    st.sidebar.caption(f"{user.username} · {t('role_' + user.role, lang)}")
    st.sidebar.button(t("auth_sign_out", lang), on_click=auth.sign_out, icon=":material/logout:")

home = st.Page("views/map_page.py", title=t("page_map", lang), icon=":material/map:", default=True)


def _to_home() -> None:
    st.switch_page(home)


pages = [
    home,
    st.Page(
        "views/land_yield_page.py", title=t("page_land_yield", lang), icon=":material/factory:", url_path="land_yield"
    ),
    st.Page("views/siting_page.py", title=t("page_siting", lang), icon=":material/travel_explore:", url_path="siting"),
    st.Page("views/kpi_page.py", title=t("page_kpi", lang), icon=":material/flag:", url_path="targets"),
    st.Page("views/data_page.py", title=t("page_data", lang), icon=":material/download:", url_path="data"),
]
if user.has("analyst"):
    pages.append(st.Page("views/workspace_page.py", title=t("page_workspace", lang), icon=":material/inventory_2:",
                         url_path="workspace"))  # fmt: skip
if user.has("admin"):
    pages.append(st.Page("views/admin_page.py", title=t("page_admin", lang), icon=":material/admin_panel_settings:",
                         url_path="admin"))  # fmt: skip
# The map page is served at the root; its own name, "/map" (links, bookmarks), opened Streamlit's
# "page not found" dialog before the map (issue 12). A hidden page there sends the planner on to it.
pages.append(st.Page(_to_home, title=t("page_map", lang), url_path="map", visibility="hidden"))
st.navigation(pages).run()
state.keep_all()  # the kept widgets' values, also when a page change follows at once
