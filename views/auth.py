"""Sign-in, roles and session expiry for the Streamlit app (a shell over :mod:`store.users`).

* No user in the workspace yet: **single-user mode** — the person at this machine is the admin,
  and a banner says that sign-in is off until users are created (``python -m store.users add``).
* ``QDP_AUTH=password`` (default) once users exist: a sign-in form; Argon2id hashes; the session
  ends after ``QDP_SESSION_MINUTES`` idle minutes or ``QDP_SESSION_HOURS`` hours.
* ``QDP_AUTH=oidc``: Streamlit's ``st.login`` with the identity provider configured in
  ``.streamlit/secrets.toml`` ``[auth]``; the e-mail address is mapped to a workspace user,
  whose role applies. Unknown addresses are refused.
"""

from __future__ import annotations

import time

import streamlit as st
from sqlalchemy import text

from i18n import t
from settings import auth_mode, session_limits
from store.users import User, UserError, authenticate, user_by_email
from views import state

__all__ = ["LOCAL_ADMIN", "current_user", "role", "sign_out"]

LOCAL_ADMIN = User("local", "admin")
_KEY = "auth_session"


def _has_users() -> bool:
    with state.workspace().engine.connect() as conn:
        return conn.execute(text("SELECT 1 FROM users WHERE disabled = 0 LIMIT 1")).first() is not None


def sign_out() -> None:
    st.session_state.pop(_KEY, None)


def _session_user() -> User | None:
    session = st.session_state.get(_KEY)
    if session is None:
        return None
    idle, absolute = session_limits()
    now = time.time()
    if now - session["seen"] > idle or now - session["since"] > absolute:
        sign_out()
        st.session_state["auth_expired"] = True
        return None
    session["seen"] = now
    return session["user"]


def _password_form(lang: str) -> User | None:
    st.title(t("app_title", lang))
    if st.session_state.pop("auth_expired", False):
        st.info(t("auth_expired", lang))
    with st.form("sign_in"):
        st.subheader(t("auth_sign_in", lang))
        name = st.text_input(t("auth_user", lang), key="auth_name")
        password = st.text_input(t("auth_password", lang), type="password", key="auth_password")
        submitted = st.form_submit_button(t("auth_sign_in", lang), type="primary")
    if submitted:
        try:
            user = authenticate(state.workspace(), name.strip(), password)
        except UserError as exc:
            st.error(str(exc))
            return None
        if user is None:
            st.error(t("auth_failed", lang))
            return None
        st.session_state[_KEY] = {"user": user, "since": time.time(), "seen": time.time()}
        st.rerun()
    return None


def _oidc(lang: str) -> User | None:
    if not st.user.is_logged_in:
        st.title(t("app_title", lang))
        st.button(t("auth_sign_in_sso", lang), on_click=st.login, type="primary")
        return None
    user = user_by_email(state.workspace(), str(st.user.get("email", "")))
    if user is None:
        st.error(t("auth_unknown_sso", lang))
        st.button(t("auth_sign_out", lang), on_click=st.logout)
    return user


def current_user(lang: str) -> User | None:
    """The user of this session, or ``None`` after drawing the sign-in form (then stop the script)."""
    if not _has_users():  # said on hover of the sidebar's subtitle (app.py): the form below it stays in view
        return LOCAL_ADMIN
    if auth_mode() == "oidc":
        return _oidc(lang)
    return _session_user() or _password_form(lang)


def role() -> str:
    """The role of this session's user (``viewer`` when nobody is signed in)."""
    user = st.session_state.get("auth_user")
    return user.role if user is not None else "viewer"
