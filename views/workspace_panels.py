"""Save buttons for the 亩产效益 and site-selection pages (analysts and admins): one transaction each."""

from __future__ import annotations

import streamlit as st

from i18n import t
from store import WorkspaceError
from views import state
from views.text import md

__all__ = ["save_evaluation_panel", "save_study_panel"]


def _saved(message_key: str, lang: str, fid: int) -> None:
    st.success(t(message_key, lang).format(fid=fid), icon=":material/check_circle:")


def save_evaluation_panel(evaluation, key: tuple) -> None:
    """Save the evaluation shown (input file, parameters, every firm) to the workspace."""
    lang = state.lang()
    user = st.session_state["auth_user"].username
    with st.form("ly_save"):
        st.caption(t("ws_save_evaluation", lang))
        name = st.text_input(t("ws_name", lang), value=key[1], max_chars=120)
        if st.form_submit_button(t("ws_save", lang), icon=":material/save:"):
            try:
                ws = state.workspace()
                dataset = ws.save_dataset(name, "enterprises", key[1], key[0], user=user,
                                          n_features=evaluation.prepared.n_input)  # fmt: skip
                fid = ws.save_evaluation(name, evaluation, key[2], dataset, user=user, coords=key[3])
                _saved("ws_saved_run", lang, fid)
            except WorkspaceError as exc:
                st.error(md(exc))


def save_study_panel(result) -> None:
    """Save the site study shown (project, parameters, ranked clusters and plots) to the workspace."""
    lang = state.lang()
    with st.form("site_save"):
        st.caption(t("ws_save_study", lang))
        name = st.text_input(t("ws_name", lang), value=f"{result.project.term} {result.project.land_mu:g} 亩")
        if st.form_submit_button(t("ws_save", lang), icon=":material/save:"):
            try:
                fid = state.workspace().save_site_study(name, result, user=st.session_state["auth_user"].username)
                _saved("ws_saved_study", lang, fid)
            except WorkspaceError as exc:
                st.error(md(exc))
