"""Printing from the pages: the layers on paper are the ones on screen, and a viewer's sheet has no firms."""

from __future__ import annotations

import io

from PIL import Image
from streamlit.testing.v1 import AppTest

from layers import load_layers
from tests.conftest import ROOT
from webmap.plan_map import DRAW_ORDER, plan_print_layers


def test_the_plan_sheet_has_the_chosen_layers_in_draw_order_with_the_inferred_clusters_named():
    layers = load_layers()
    printed = plan_print_layers({i: layers[i] for i in ("clusters", "districts", "axes")}, "zh")
    assert all(p.gdf is layers[i] for p, i in zip(printed, ("districts", "clusters", "axes"), strict=True))
    assert [DRAW_ORDER.index(i) for i in ("districts", "clusters", "axes")] == sorted(
        DRAW_ORDER.index(i) for i in ("districts", "clusters", "axes")
    )
    clusters = printed[1]
    assert "产业集聚区" in clusters.title and len(clusters.legend) == 2  # plan-named and inferred footprints


def test_a_viewer_prints_no_firms_and_an_analyst_does(monkeypatch):
    monkeypatch.chdir(ROOT)
    from views import land_yield_cache as ly
    from views import state

    key = state.default_key()
    analyst = ly.print_layers(key, ly.default_view(True), "zh")
    viewer = ly.print_layers(key, ly.default_view(False), "zh")
    assert any(p.title == "企业（按类别）" for p in analyst)
    assert not any("企业" in p.title and "集聚区" not in p.title for p in viewer)
    firms = next(p for p in analyst if p.title == "企业（按类别）")
    assert firms.by == "class" and [label.split()[0] for label, _ in firms.legend] == ["A", "B", "C", "D", "T"]


def test_the_map_page_offers_a_print_in_the_format_and_paper_chosen():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert any(e.label == "打印地图（PDF / PNG）" for e in at.expander)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载 A4 PDF" in labels
    at.selectbox(key="map_print_fmt").set_value("png")
    at.selectbox(key="map_print_paper").set_value("A3").run()
    assert "下载 A3 PNG" in [b.proto.label for b in at.get("download_button")] and not at.exception


def test_the_land_yield_sheet_prints_the_firms_by_class():
    from views import land_yield_cache as ly
    from views import state
    from webmap.print_layout import PrintSheet, print_map

    key = state.default_key()
    land, context = state.base_geography()
    png = print_map(ly.print_layers(key, ly.default_view(True), "zh"), PrintSheet("t", "2026-11-29"), land, context,
                    fmt="png", dpi=60)  # fmt: skip
    colours = {c for _, c in Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 20)}
    from analysis.land_yield.config import CLASS_INFO

    for cls in "ABCD":  # every class's colour is on the sheet
        hex_colour = CLASS_INFO[cls]["colour"]
        want = tuple(int(hex_colour[k : k + 2], 16) for k in (1, 3, 5))
        assert any(max(abs(a - b) for a, b in zip(c, want, strict=True)) <= 2 for c in colours), cls
