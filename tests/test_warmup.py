"""The warm-up before serving: what it computes is what the first page uses (issue 12, first open ≤ 5 s)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests import live_server
from tests.conftest import ROOT
from views import land_yield_cache, state, warmup


def _clear_caches() -> None:
    for cached in (state.plan_layers, state.base_geography, state.siting_context, state.evaluation,
                   land_yield_cache.areas, land_yield_cache.map_html):  # fmt: skip
        cached.clear()


def test_the_first_page_uses_the_maps_the_warm_up_built(monkeypatch):
    """A map built again on the first open is what made it take 11 s; the page must find the warm one."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("QDP_ENTERPRISES", raising=False)
    _clear_caches()
    lines: list[str] = []
    timings = warmup.warm_up(lines.append)
    assert set(timings) == {"imports", "plan layers", "base map", "site-selection context", "亩产效益 evaluation",
                            "亩产效益 maps"}, lines  # fmt: skip
    assert not any("failed" in line for line in lines)

    def no_building(*args, **kwargs):
        raise AssertionError("the page built its map again")

    monkeypatch.setattr(land_yield_cache, "build_land_yield_map", no_building)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("views/land_yield_page.py").run()
    assert not at.exception, at.exception
    assert "canvas_points" in str(at.get("iframe")[0].proto)  # the analyst's map, with the firms
    _clear_caches()


def test_a_step_that_fails_is_reported_and_left_to_the_page(monkeypatch, tmp_path):
    bad = tmp_path / "firms.csv"
    bad.write_bytes(b"\x00\x01 not a table")
    monkeypatch.setenv("QDP_ENTERPRISES", str(bad))
    monkeypatch.chdir(ROOT)
    _clear_caches()
    lines: list[str] = []
    timings = warmup.warm_up(lines.append)
    assert "亩产效益 evaluation" not in timings and "plan layers" in timings
    assert any(line.startswith("warm-up: 亩产效益 evaluation failed (InputError") for line in lines), lines
    _clear_caches()


def test_import_all_leaves_out_page_scripts_and_entry_points():
    names = warmup.import_all()
    assert "views.land_yield_cache" in names and "webmap.points" in names
    assert not [n for n in names if n.endswith(("_page", "__main__", ".serve"))]


def test_the_server_warms_up_before_it_answers(tmp_path):
    port = live_server.free_port()
    log = tmp_path / "server.log"
    proc = live_server.start(port, log, args=["--server.address", "127.0.0.1", "--server.headless", "true"], timeout=90)
    try:
        text = log.read_text()
        warm, ready = text.find("warm-up: 亩产效益 maps"), text.find("You can now view")
        assert 0 <= warm < ready, text[-2000:]  # every step before the server took requests
        assert "config option section was detected" not in text  # the warm-up read the same options
    finally:
        live_server.stop(proc)


def test_what_the_warm_up_built_is_frozen_out_of_the_collector(monkeypatch):
    """Streamlit collects all generations after every rerun: it walked the warm caches each time (0.12 s, 50k firms)."""
    import gc

    from streamlit.web import cli

    from views import serve

    built: list[object] = []
    monkeypatch.setattr(warmup, "warm_up", lambda report: built.append([{"firm": i} for i in range(1000)]))
    monkeypatch.setattr(cli, "main", lambda: None)
    monkeypatch.setattr("sys.argv", ["serve"])
    gc.unfreeze()
    try:
        serve.main([])
        assert gc.get_freeze_count() >= 1000 and not any(o is built[0] for o in gc.get_objects())
    finally:
        gc.unfreeze()
