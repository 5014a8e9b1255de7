"""Users and data page (admins): accounts and roles, stored data sets, the audit log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n import t
from store import WorkspaceError
from store.users import ROLES, UserError, add_user, list_users, set_disabled, set_password, set_role
from views import state
from views.text import local_time, md

lang = state.lang()
admin = st.session_state["auth_user"]
if not admin.has("admin"):
    st.error(t("ws_forbidden", lang))
    st.stop()


def _table(frame: pd.DataFrame) -> None:
    """A table with headers in the page's language; "暂无记录" for an empty one (the grid says "empty" in English)."""
    if frame.empty:
        st.caption(t("ws_empty", lang))
        return
    st.dataframe(_headed(frame), hide_index=True, width="stretch", placeholder="—")


def _headed(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with its column headers in the page's language (strings.toml ``col_<name>``)."""
    frame = frame.copy()
    for column in ("created_at", "at"):  # stored in UTC, shown in local time
        if column in frame:
            frame[column] = frame[column].map(local_time)
    return frame.rename(columns={c: t(f"col_{c}", lang) for c in frame.columns})


st.title(t("page_admin", lang))
ws = state.workspace()
try:
    st.subheader(t("adm_users", lang))
    _table(list_users(ws))
    with st.form("adm_add", clear_on_submit=True):
        st.caption(t("adm_add", lang))
        c1, c2, c3, c4 = st.columns(4)
        name = c1.text_input(t("auth_user", lang))
        role = c2.selectbox(t("adm_role", lang), ROLES, format_func=lambda r: t(f"role_{r}", lang))
        email = c3.text_input(t("col_email", lang))
        password = c4.text_input(t("auth_password", lang), type="password")
        if st.form_submit_button(t("adm_add_button", lang), icon=":material/person_add:"):
            try:
                add_user(ws, name.strip(), password, role, email.strip() or None, by=admin.username)
                st.rerun()
            except UserError as exc:
                st.error(md(exc))
    with st.form("adm_change"):
        st.caption(t("adm_change", lang))
        c1, c2, c3 = st.columns(3)
        users = list_users(ws)["username"].tolist()
        target = c1.selectbox(t("auth_user", lang), users)
        new_role = c2.selectbox(
            t("adm_role", lang), ["", *ROLES], format_func=lambda r: t(f"role_{r}", lang) if r else "—"
        )
        new_password = c3.text_input(t("adm_new_password", lang), type="password")
        b1, b2, b3 = st.columns(3)
        apply = b1.form_submit_button(t("adm_save", lang))
        disable = b2.form_submit_button(t("adm_disable", lang))
        enable = b3.form_submit_button(t("adm_enable", lang))
        try:
            if apply and new_role:
                set_role(ws, target, new_role, by=admin.username)
            if apply and new_password:
                set_password(ws, target, new_password, by=admin.username)
            if disable or enable:
                if disable and target == admin.username:
                    raise UserError("不能停用自己 / you cannot disable yourself")
                set_disabled(ws, target, bool(disable), by=admin.username)
            if apply or disable or enable:
                st.rerun()
        except UserError as exc:
            st.error(md(exc))

    st.subheader(t("adm_datasets", lang))
    _table(ws.datasets())
    st.subheader(t("adm_audit", lang))
    _table(ws.audit_log().head(500))
except WorkspaceError as exc:
    st.error(md(exc))
