"""Session state shared by the pages: language, settings and cached plan layers."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import streamlit as st

from i18n import LANGS, t
from layers import load_layers, siting_layers
from layers.build import DEFAULT_CORRIDOR_HALF_WIDTH_M, city_outline, context_land
from layers.plan import Plan, load_plan
from views.input_key import HASH_FUNCS, InputKey

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


def kept(key: str, default: object) -> str:
    """``key`` for a widget whose value survives a visit to another page.

    Streamlit forgets a widget's value when a page without it runs (issue 12: corridor width,
    layer choice, base map and the uploaded table were lost on changing page). The value is
    copied to ``_kept_<key>`` on every change (:func:`keep`) and seeded back from there; pass
    ``on_change=state.keep, args=(key,)`` and no default value to the widget.
    """
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(f"_kept_{key}", default)
    st.session_state.setdefault("_kept_keys", set()).add(key)
    return key


def keep_all() -> None:
    """Remember every kept widget's current value (at the end of each run, see ``app.py``).

    ``on_change`` alone lost a change when the planner switched page before the rerun that the
    change started had run its callbacks (a removed layer came back); copying at the end of
    every completed run closes that gap.
    """
    for key in st.session_state.get("_kept_keys", ()):
        if key in st.session_state:
            st.session_state[f"_kept_{key}"] = st.session_state[key]


def keep(key: str) -> None:
    """Remember the widget value ``key`` (an ``on_change`` callback; see :func:`kept`)."""
    st.session_state[f"_kept_{key}"] = st.session_state.get(key)


def kept_value(key: str, default: object) -> object:
    """The value of a kept widget, also on pages that do not show it (e.g. the base map)."""
    return st.session_state.get(key, st.session_state.get(f"_kept_{key}", default))


def plan() -> Plan:
    """The plan (built once per process from the catalogue; immutable, shared by all sessions)."""
    return load_plan()


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


def default_input() -> tuple[bytes, str]:
    """The default enterprise table's content and name, read once per version of the file.

    The same bytes object on every rerun, so that its digest is computed once (:mod:`views.input_key`).
    """
    path = enterprise_file()
    stat = path.stat()
    return _file_bytes(str(path), stat.st_mtime_ns, stat.st_size), path.name


@st.cache_resource(show_spinner=False, max_entries=2)
def _file_bytes(path: str, mtime_ns: int, size: int) -> bytes:
    return Path(path).read_bytes()


@st.cache_resource(show_spinner=False, max_entries=8)
def imported(kind: str, upload: tuple[bytes, str]):
    """An uploaded layer, read, checked and repaired (:func:`layers.imports.import_layer`); read only."""
    from layers.imports import import_layer

    return import_layer(upload, kind)


@st.cache_resource(show_spinner=False, max_entries=4)
def siting_context(
    plots: tuple[bytes, str] | None = None,
    exclusion: tuple[bytes, str] | None = None,
    corridor_half_width_m: float = DEFAULT_CORRIDOR_HALF_WIDTH_M,
):
    """The site-selection context: plan layers, transport nodes, and the bundled samples or uploads.

    ``plots`` and ``exclusion`` are uploaded files as ``(content, file name)``; ``None`` uses the
    bundled synthetic plots and sample exclusion zones. Shared between sessions: read only.
    Raises :class:`geo.io.GeoIOError` for an upload that cannot be used.
    """
    from analysis.siting.context import build_context

    layers = plan_layers(corridor_half_width_m)
    return build_context(
        layers,
        plan(),
        nodes=siting_layers.transport_nodes(),
        exclusion=imported("exclusion_zones", exclusion).gdf if exclusion else siting_layers.exclusion_zones(),
        plots=imported("plots", plots).gdf if plots else siting_layers.plots(),
        corridor_half_width_m=corridor_half_width_m,
    )


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=HASH_FUNCS)
def evaluation(key: InputKey):
    """One 亩产效益 evaluation per input and parameters, shared (not copied) between reruns and pages.

    Read only. Raises :class:`analysis.land_yield.pipeline.InputError` or
    :class:`analysis.land_yield.config.ConfigError` for input that cannot be evaluated.
    """
    from analysis.land_yield.config import load_config
    from analysis.land_yield.pipeline import evaluate_sources, evaluate_table
    from files.bundle import is_bundle, read_sources, unpack
    from files.enterprises import read_enterprises

    config = load_config(key.config_toml.encode("utf-8"))
    districts = plan_layers()["districts"]
    if is_bundle(key.data):  # several departments' tables (or a header map): joined by credit code
        bundle = unpack(key.data)
        return evaluate_sources(read_sources(bundle, key.coords), config, districts, bundle.prefer)
    return evaluate_table(read_enterprises(key.data, key.filename), config, districts, key.coords)


def default_key() -> InputKey:
    """The default data set with the default parameters, as the 亩产效益 page first evaluates it."""
    from analysis.land_yield.config import load_config

    return InputKey(*default_input(), load_config(None).to_toml(), "auto")


def evaluation_key() -> InputKey:
    """The input of the last evaluation shown on the 亩产效益 page, else the default data set."""
    key = st.session_state.get("ly_key")
    return InputKey(*key) if key is not None else default_key()


@st.cache_resource(show_spinner=False)
def workspace():
    """The workspace of this deployment (:func:`settings.workspace_location`), opened once."""
    from settings import workspace_location
    from store import open_workspace

    return open_workspace(workspace_location())
