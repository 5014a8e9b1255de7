"""Print the map shown: title, paper, format and a download (:func:`webmap.print_layout.print_map`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import streamlit as st

from i18n import t
from settings import display_timezone
from views import state
from webmap.print_layout import PrintLayer, PrintSheet, has_cjk_font, print_map

__all__ = ["print_panel"]

_MIME = {"pdf": "application/pdf", "png": "image/png"}


def print_panel(layers: Callable[[], Sequence[PrintLayer]], title: str, notes: Sequence[str], key: str) -> None:
    """Widgets to print the map: the sheet is drawn only when the planner downloads it.

    ``layers`` returns the layers to print (called on download); ``notes`` are printed under the
    legend (data quality, sources and licences, synthetic data).
    """
    lang = state.lang()
    if lang == "zh" and not has_cjk_font():
        st.warning(t("print_no_font", lang))
        return
    c1, c2, c3 = st.columns([3, 1, 1])
    heading = c1.text_input(t("print_title", lang), value=title, max_chars=80, key=f"{key}_title")
    paper = c2.selectbox(t("print_paper", lang), ["A4", "A3"], key=f"{key}_paper")
    fmt = c3.selectbox(t("print_format", lang), ["pdf", "png"], format_func=str.upper, key=f"{key}_fmt")
    st.caption(t("print_contents", lang))
    date = datetime.now(display_timezone()).strftime("%Y-%m-%d")

    def sheet() -> bytes:
        land, context = state.base_geography()
        page = PrintSheet(heading.strip() or title, date, tuple(notes), lang, paper)
        return print_map(list(layers()), page, land, context, fmt="png" if fmt == "png" else "pdf", dpi=200)

    st.download_button(t("print_download", lang).format(fmt=fmt.upper(), paper=paper), data=sheet,
                       file_name=f"{heading.strip() or title}_{paper}.{fmt}", mime=_MIME[fmt], key=f"{key}_button",
                       icon=":material/print:", on_click="ignore")  # fmt: skip
