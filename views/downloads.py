"""Download widgets for plan layers (the same export as ``python -m layers export``)."""

from __future__ import annotations

from typing import cast

import streamlit as st

from geo.crs import EXPORT_CRS
from geo.io import GeoIOError
from i18n import t
from layers.export import FORMATS, ExportFormat, export_zip_bytes
from views import state
from views.text import md

_FORMAT_LABELS = {"geojson": "GeoJSON", "gpkg": "GeoPackage", "shp": "Shapefile"}


@st.cache_data(show_spinner=False, max_entries=16)
def _export(layer_ids: tuple[str, ...], fmt: str, crs: str, corridor_half_width_m: float) -> bytes:
    layers = state.plan_layers(corridor_half_width_m)
    return export_zip_bytes({i: layers[i] for i in layer_ids}, cast(ExportFormat, fmt), crs)  # checked there


def download_panel(layer_ids: list[str], corridor_half_width_m: float, key: str) -> None:
    """Format and CRS pickers and a download button for the given layers."""
    lang = state.lang()
    col_fmt, col_crs = st.columns(2)
    fmt = col_fmt.selectbox(t("format", lang), FORMATS, format_func=_FORMAT_LABELS.__getitem__, key=f"{key}_fmt")
    crs = col_crs.selectbox(
        t("crs", lang),
        list(EXPORT_CRS),
        format_func=lambda c: f"{c} · {EXPORT_CRS[c].name_en if lang == 'en' else EXPORT_CRS[c].name_zh}",
        key=f"{key}_crs",
    )
    if fmt == "geojson":  # RFC 7946 allows WGS84 only: say what the file is (issue 12)
        st.caption(t("geojson_rfc7946" if EXPORT_CRS[crs].code == "EPSG:4326" else "geojson_legacy", lang))
    if not layer_ids:
        return
    try:
        data = _export(tuple(layer_ids), fmt, crs, corridor_half_width_m)
    except (GeoIOError, ValueError) as exc:
        st.error(f"{t('export_error', lang)}: {md(exc)}")
        return
    st.download_button(
        t("download_button", lang),
        data=data,
        file_name=f"qingdao_plan_{fmt}_{crs.replace(':', '')}.zip",
        mime="application/zip",
        key=f"{key}_button",
        icon=":material/download:",
        on_click="ignore",
    )
