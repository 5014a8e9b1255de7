"""Our own scripts for the Streamlit page (``views/static/*.js``), with their data filled in.

Each script is a function expression called with one JSON argument, written in the file as a
placeholder ``__DATA__``; :func:`page_script` returns it in a ``<script>`` element, with "</"
broken so that no value can close the element. Pages add it with
``st.html(..., unsafe_allow_javascript=True)``; nothing is loaded from outside the page.

Examples
--------
>>> page_script("fit_maps.js", {"selector": "iframe", "margin": 12, "min": 420, "share": 0.6}).startswith("<script>")
True
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["page_script"]


def page_script(name: str, data: object) -> str:
    """``static/<name>`` with ``__DATA__`` replaced by ``data`` as JSON, in a ``<script>`` element."""
    source = (Path(__file__).with_name("static") / name).read_text(encoding="utf-8")
    if "__DATA__" not in source:
        raise ValueError(f"{name} has no __DATA__ placeholder")
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return "<script>" + source.replace("__DATA__", payload) + "</script>"
