"""Overview map: payload size, build time and first paint in headless Chromium, ours vs folium-default.

    python -m benchmarks.map_payload [--repeat 5]

"ours" is :func:`webmap.plan_map.build_plan_map` (simplified 20 m, 5 decimals, styles and
popups precomputed into feature properties). "folium-default" draws the same layers the way a
folium tutorial does: full-precision GeoJSON, a ``style_function`` per layer and
GeoJsonTooltip/GeoJsonPopup. Both load Leaflet from the same local server so both can paint
offline. First paint = navigation start → every plan feature is an SVG path in the DOM.
Goals: ≤ 1.5 MB (issue 2) and ≤ 1.5 s first paint at 1366×768 (issue 12) for the overview map.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import threading
import time
from pathlib import Path

import folium

from layers import load_layers
from layers.build import city_outline, context_land
from layers.catalogue import layer_specs
from webmap.assets import AssetUrls, publish
from webmap.plan_map import DRAW_ORDER, MapOptions, build_plan_map

OUT = Path(__file__).with_name("out")
CHROMIUM = "/usr/bin/chromium"


def build_ours(layers) -> str:
    opts = MapOptions(assets=AssetUrls.under("."))
    return build_plan_map(layers, opts, land=city_outline(), context=context_land()).get_root().render()


def build_folium_default(layers) -> str:
    m = folium.Map(location=[36.33, 120.15], zoom_start=9, tiles=None)
    m.default_js = [("leaflet", "./vendor/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", "./vendor/leaflet/leaflet.css")]
    specs = layer_specs()
    for layer_id in DRAW_ORDER:
        gdf, spec = layers[layer_id], specs[layer_id]
        fields = [c for c in spec.popup if c in gdf.columns]
        folium.GeoJson(
            gdf,
            name=spec.title,
            style_function=lambda _f, s=spec.style: s,
            tooltip=folium.GeoJsonTooltip(fields=["name"]) if "name" in gdf.columns else None,
            popup=folium.GeoJsonPopup(fields=fields) if fields else None,  # roads: neither (unnamed OSM ways)
        ).add_to(m)
    folium.LayerControl().add_to(m)
    return m.get_root().render()


def expected_paths(layers, merged: bool) -> int:
    """SVG paths of a painted map: one per polygon or line feature; with ``merged``, one per layer
    without popups (ours draws such context layers — the 2,824 roads — as one path, not clickable)."""
    specs = layer_specs()
    counts = {i: int((~g.geom_type.isin(["Point", "MultiPoint"])).sum()) for i, g in layers.items()}
    return sum(min(n, 1) if merged and not specs[i].popup else n for i, n in counts.items())


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``directory`` on a free local port in a background thread; returns (server, base URL)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def timed(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def first_paint(url: str, expected_paths: int, repeat: int, timeout_ms: int = 60_000) -> float | None:
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1366, "height": 768})  # the usual office laptop
            start = time.perf_counter()
            page.goto(url)
            painted = f"document.querySelectorAll('.leaflet-overlay-pane path').length >= {expected_paths}"
            page.wait_for_function(painted, timeout=timeout_ms)
            times.append(time.perf_counter() - start)
            page.close()
        browser.close()
    return statistics.median(times)


def measure(out: Path, repeat: int, timeout_ms: int = 60_000) -> list[tuple[str, float, float, float | None]]:
    """Build both maps into ``out`` and paint them; rows of (build, payload MB, build s, first paint s).

    Painted = every polygon and line drawn is an SVG path of the overlay pane. Points are not
    counted: folium's default draws them as marker images, not paths, and waiting for them never
    ended (issue 12: the baseline timed out once the transport nodes were on the map).
    """
    out.mkdir(exist_ok=True)
    publish(out)
    loaded = load_layers()
    layers = {i: loaded[i] for i in DRAW_ORDER}
    n_paths = {"ours": expected_paths(layers, merged=True), "folium-default": expected_paths(layers, merged=False)}
    server, base = serve(out)
    rows = []
    try:
        for name, builder in (("ours", build_ours), ("folium-default", build_folium_default)):
            html, build_s = timed(lambda b=builder: b(layers), repeat)
            (out / f"{name}.html").write_text(html, encoding="utf-8")
            paint = first_paint(f"{base}/{name}.html", n_paths[name], repeat, timeout_ms)
            rows.append((name, len(html.encode()) / 1e6, build_s, paint))
    finally:
        server.shutdown()
        server.server_close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n_features = sum(len(g) for i, g in load_layers().items() if i in DRAW_ORDER)
    print(f"overview map, {n_features} plan features, median of {args.repeat} runs")
    print(f"{'build':<16}{'payload MB':>11}{'build s':>9}{'first paint s':>15}")
    for name, payload, build_s, paint in measure(OUT, args.repeat):
        paint_text = f"{paint:.2f}" if paint is not None else "n/a (no chromium)"
        print(f"{name:<16}{payload:>11.3f}{build_s:>9.3f}{paint_text:>15}")
    print("goals: payload ≤ 1.5 MB, first paint ≤ 1.5 s at 1366×768 (issue 12)")


if __name__ == "__main__":
    main()
