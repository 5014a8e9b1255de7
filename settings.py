"""Deployment settings, one module for the store, the views and the command lines: from the environment
(or ``.streamlit/secrets.toml``), with safe defaults.

=====================  =========================================================================
QDP_WORKSPACE          workspace file or database URL (default ``workspace/workspace.gpkg``)
QDP_AUTH               ``password`` (default: users of the workspace) or ``oidc`` (``st.login``)
QDP_SESSION_MINUTES    sign out after this many idle minutes (default 30)
QDP_SESSION_HOURS      and after this many hours in any case (default 8)
QDP_ENTERPRISES        default enterprise table for the 亩产效益 page (default: the bundled sample)
QDP_TIMEZONE           time zone in which stored (UTC) times are shown (default ``Asia/Shanghai``)
=====================  =========================================================================
"""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["ROOT", "auth_mode", "display_timezone", "session_limits", "workspace_location"]

ROOT = Path(__file__).resolve().parent


def workspace_location() -> str:
    """Where the workspace lives: ``QDP_WORKSPACE`` or ``workspace/workspace.gpkg`` in the project."""
    return os.environ.get("QDP_WORKSPACE") or str(ROOT / "workspace" / "workspace.gpkg")


def auth_mode() -> str:
    """``"password"`` or ``"oidc"``."""
    mode = os.environ.get("QDP_AUTH", "password").strip().lower()
    return mode if mode in ("password", "oidc") else "password"


def session_limits() -> tuple[float, float]:
    """(idle seconds, absolute seconds) after which a session signs out."""

    def number(name: str, default: float) -> float:
        try:
            value = float(os.environ.get(name, default))
        except ValueError:
            return default
        return value if value > 0 else default

    return number("QDP_SESSION_MINUTES", 30) * 60, number("QDP_SESSION_HOURS", 8) * 3600


def display_timezone() -> ZoneInfo:
    """The zone in which times are shown: ``QDP_TIMEZONE`` if it names one, else China Standard Time."""
    try:
        return ZoneInfo(os.environ.get("QDP_TIMEZONE", "").strip() or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")
