"""Warm the server before it takes requests, so that the first planner does not wait for it.

On the first page after a start, Python imports the geospatial stack (≈ 2.5 s on the 2-core
machine), reads and evaluates the deployment's enterprise table and builds the default maps; with
50,000 firms the first 亩产效益 page took ≈ 11 s (issue 12; ``benchmarks/land_yield.py``).
:func:`warm_up` does this work once, before the server listens (``python -m views.serve``): it
imports every module of the app's packages and fills the shared caches of :mod:`views.state` and
:mod:`views.land_yield_cache` with the default plan layers, base map, site-selection context,
evaluation and maps. A step that fails is reported and left to the page, which shows its error.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["PACKAGES", "import_all", "warm_up"]

PACKAGES = ("geo", "layers", "analysis", "files", "store", "i18n", "webmap", "views")
# Page scripts run in Streamlit's script runner (importing one would draw it); __main__ modules are CLIs.
_SKIP_SUFFIXES = ("_page", ".__main__", ".serve", ".warmup")


def import_all(packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """Import every module of ``packages`` except page scripts and command-line entry points.

    Returns the names imported, in order.

    Examples
    --------
    >>> names = import_all(("i18n",))
    >>> names[0], "i18n.render" in names
    ('i18n', True)
    """
    names = []
    for package in packages:
        module = importlib.import_module(package)
        names.append(package)
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
            if info.name.endswith(_SKIP_SUFFIXES):
                continue
            importlib.import_module(info.name)
            names.append(info.name)
    return names


@contextmanager
def _quiet_streamlit() -> Iterator[None]:
    """Streamlit warns on every cache call made before its runtime exists; those warnings say nothing here."""
    import streamlit.runtime.caching  # noqa: F401 — creates the loggers silenced below

    loggers = [logging.getLogger(n) for n in list(logging.root.manager.loggerDict) if n.startswith("streamlit")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _steps() -> list[tuple[str, Callable[[], object]]]:
    from layers.build import DEFAULT_CORRIDOR_HALF_WIDTH_M
    from views import land_yield_cache as ly
    from views import state

    corridor = DEFAULT_CORRIDOR_HALF_WIDTH_M

    def base_url_path() -> str:  # as the page reads it (the command line's options are not loaded yet)
        import streamlit as st

        return str(st.get_option("server.baseUrlPath") or "")

    def maps() -> None:
        key = state.default_key()
        for analyst in (True, False):  # the map as an analyst and as a viewer first sees it
            ly.map_html(key, ly.default_view(analyst), "zh", base_url_path())

    return [
        ("plan layers", lambda: state.plan_layers(corridor)),
        ("base map", state.base_geography),
        ("site-selection context", lambda: state.siting_context(corridor_half_width_m=corridor)),
        ("亩产效益 evaluation", lambda: state.evaluation(state.default_key())),
        ("亩产效益 maps", maps),
    ]


def warm_up(report: Callable[[str], None] = print) -> dict[str, float]:
    """Import the app and compute its default results; returns seconds per step.

    Each step's time (or its failure) is passed to ``report`` as one line.
    """
    timings: dict[str, float] = {}
    with _quiet_streamlit():
        start = time.perf_counter()
        import_all()
        timings["imports"] = time.perf_counter() - start
        report(f"warm-up: imports {timings['imports']:.1f} s")
        for name, step in _steps():
            start = time.perf_counter()
            try:
                step()
            except Exception as exc:  # the page shows this error to the planner
                report(f"warm-up: {name} failed ({type(exc).__name__}: {exc}); left to the page")
                continue
            timings[name] = time.perf_counter() - start
            report(f"warm-up: {name} {timings[name]:.1f} s")
    return timings
