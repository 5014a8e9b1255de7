"""Session state shared by the pages: language, settings and cached plan layers."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import streamlit as st

from i18n import LANGS, t
from layers import load_layers
from layers.build import DEFAULT_CORRIDOR_HALF_WIDTH_M, city_outline, context_land

_LANG_LABELS = {"zh": "中文", "en": "English"}


def language_switch() -> str:
    """Sidebar language radio (Chinese first); returns ``"zh"`` or ``"en"``."""
    choice = st.sidebar.radio(
        t("language"),
        LANGS,
        format_func=_LANG_LABELS.__getitem__,
        horizontal=True,
        key="lang",
    )
    return str(choice)


def lang() -> str:
    """The current UI language."""
    return str(st.session_state.get("lang", "zh"))


def tianditu_key() -> str | None:
    """天地图 key from the environment (TIANDITU_KEY) or ``.streamlit/secrets.toml``."""
    key = os.environ.get("TIANDITU_KEY")
    if key:
        return key
    try:
        return st.secrets.get("tianditu_key")
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return None


@st.cache_data(show_spinner=False)
def plan_layers(corridor_half_width_m: float = DEFAULT_CORRIDOR_HALF_WIDTH_M) -> dict[str, gpd.GeoDataFrame]:
    """All plan layers (cached per corridor width)."""
    return load_layers(corridor_half_width_m=corridor_half_width_m)


@st.cache_data(show_spinner=False)
def base_geography() -> tuple[object, gpd.GeoDataFrame]:
    """Qingdao's land (district union) and neighbouring land for the offline base map."""
    return city_outline(), context_land()


SAMPLE_FILE = Path(__file__).resolve().parents[1] / "data" / "sample_enterprises.csv"


def enterprise_file() -> Path:
    """Default enterprise table: ``QDP_ENTERPRISES`` (a deployment's own file) or the bundled sample."""
    configured = os.environ.get("QDP_ENTERPRISES")
    return Path(configured) if configured else SAMPLE_FILE
