"""The overview map of the plan: base map, plan layers, legend and controls, fully offline.

:func:`build_plan_map` is pure presentation over GeoDataFrames: no Streamlit, no I/O. The
returned :class:`folium.Map` loads Leaflet from ``MapOptions.assets`` (local URLs) and nothing
else unless an online base map is chosen.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely

from geo.chinacoords import convert
from geo.crs import to_metric, to_wgs84
from i18n import t
from layers.catalogue import GEOMETRY_QUALITIES, LayerSpec, layer_specs
from webmap.assets import AssetUrls
from webmap.basemaps import BASEMAPS, Basemap, tile_layers
from webmap.controls import LegendEntry, PlannerControls, legend_html
from webmap.focus import add_focus
from webmap.geojson import circle_marker, geojson_layer, info_table, merged_lines
from webmap.print_layout import PrintLayer

__all__ = [
    "DRAW_ORDER",
    "MapOptions",
    "build_plan_map",
    "district_labels",
    "finish_map",
    "label_markers",
    "plan_print_layers",
    "start_map",
]

# Bottom to top: large zones under small features, lines on top.
DRAW_ORDER = (
    "districts",
    "axis_corridors",
    "bay_areas",
    "exclusion_zones",
    "clusters",
    "plots",
    "roads",
    "axes",
    "transport_nodes",
)
CENTRE = (36.33, 120.15)
LAND_STYLE = {"color": "#c8c1ad", "weight": 0.6, "fillColor": "#f6f3ea", "fillOpacity": 1.0}
CONTEXT_STYLE = {"color": "#d4d0c6", "weight": 0.5, "fillColor": "#e9e7e1", "fillOpacity": 1.0}
SEA_COLOUR = "#cfe0ec"


@dataclass
class MapOptions:
    """How to draw the overview map.

    Attributes
    ----------
    assets : AssetUrls
        Where the browser loads Leaflet from (local URLs).
    lang : {"zh", "en"}
    basemap : str
        One of :data:`webmap.basemaps.BASEMAPS`; ``"offline"`` sends no request anywhere.
    tianditu_key : str, optional
        Needed for the 天地图 base map.
    simplify_m : float
        Simplification tolerance in metres for polygons and lines (0 keeps every vertex).
    precision : int
        Decimal places of coordinates (5 ≈ 1 m).
    height : int
        Map height in pixels.
    """

    assets: AssetUrls
    lang: str = "zh"
    basemap: str = "offline"
    tianditu_key: str | None = None
    simplify_m: float = 20.0
    precision: int = 5
    height: int = 640


def _quality_text(quality: str, lang: str) -> str:
    return t(f"quality_{quality}", lang) if quality in GEOMETRY_QUALITIES else quality


def _localised(row: pd.Series, column: str, lang: str) -> Any:
    if lang == "en" and f"{column}_en" in row.index and row[f"{column}_en"]:
        return row[f"{column}_en"]
    return row[column]


def _popup(spec: LayerSpec, lang: str):
    def render(row: pd.Series) -> str:
        fields = []
        for column in spec.popup[1:]:
            value = _localised(row, column, lang)
            if column == "geometry_quality":
                value = _quality_text(value, lang)
            fields.append((spec.column_label(column, lang), value))
        return info_table(str(_localised(row, "name", lang)), fields)

    return render


def _tooltip(spec: LayerSpec, lang: str):
    def render(row: pd.Series) -> str:
        name = str(_localised(row, "name", lang))
        quality = _quality_text(row.get("geometry_quality", ""), lang)
        extra = f" · {row['industries']}" if "industries" in row.index and row["industries"] else ""
        return info_table(f"{name}{extra}", [(t("quality", lang), quality)], css_class="qd-tip")

    return render


def _style(spec: LayerSpec):
    def style(row: pd.Series) -> dict[str, Any]:
        if spec.style_inferred and "plan_named" in row.index and not bool(row["plan_named"]):
            return dict(spec.style_inferred)
        return dict(spec.style)

    return style


def _point_marker(spec: LayerSpec) -> dict[str, Any]:
    """Point layers are drawn as circle markers styled like the other features."""
    if spec.geometry != "Point":
        return {}
    return {"marker": circle_marker(spec.style)}


def _layer_title(spec: LayerSpec, gdf: gpd.GeoDataFrame, lang: str) -> str:
    qualities = sorted(set(gdf.get("geometry_quality", pd.Series(dtype=str))) - {"official"})
    title = spec.label(lang)
    notes = [_quality_text(q, lang) for q in qualities]
    note = "、".join(n for n in notes if n not in title)  # a title that already says it ("可供地块（合成样例）")
    if not note:
        return title
    return f"{title}（{note}）" if lang == "zh" else f"{title} ({note})"


def _offline_base(
    land: shapely.Geometry, context: gpd.GeoDataFrame, opts: MapOptions, basemap: Basemap
) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=t("basemap_offline", opts.lang), overlay=False, control=True)
    frames = [
        (context, CONTEXT_STYLE),
        (gpd.GeoDataFrame(geometry=[land], crs=4326), LAND_STYLE),
    ]
    for frame, style in frames:
        geojson_layer(
            frame,
            name="base",
            style=style,
            simplify_m=max(opts.simplify_m, 50.0),
            precision=4,
            drawn_in=basemap.drawn_in,
            keep=(),
            interactive=False,
            pane="qdBase",
            control=False,
        ).add_to(group)
    return group


def label_markers(
    gdf: gpd.GeoDataFrame,
    labels_html: list[str],
    name: str,
    drawn_in: str = "wgs84",
    icon_size: tuple[int, int] = (90, 16),
    control: bool = True,
) -> folium.FeatureGroup:
    """Non-interactive HTML labels (already escaped) at each feature's representative point."""
    group = folium.FeatureGroup(name=name, overlay=True, control=control)
    points = to_wgs84(to_metric(gdf).representative_point())
    lon, lat = points.x.to_numpy(), points.y.to_numpy()
    if drawn_in == "gcj02":
        lon, lat = convert(lon, lat, "wgs84", "gcj02")
    anchor = (icon_size[0] // 2, icon_size[1] // 2)
    for x, y, label in zip(lon, lat, labels_html, strict=True):
        folium.Marker(
            [round(float(y), 5), round(float(x), 5)],
            icon=folium.DivIcon(html=label, icon_size=icon_size, icon_anchor=anchor),
            interactive=False,
        ).add_to(group)
    return group


def district_labels(districts: gpd.GeoDataFrame, opts: MapOptions) -> folium.FeatureGroup:
    """District names as non-interactive labels (a layer that can be switched off)."""
    names = districts["name_en" if opts.lang == "en" else "name"].tolist()
    labels = [f'<div class="qd-label">{html.escape(n)}</div>' for n in names]
    return label_markers(districts, labels, t("labels", opts.lang), BASEMAPS[opts.basemap].drawn_in)


def start_map(
    opts: MapOptions, land: shapely.Geometry | None, context: gpd.GeoDataFrame | None
) -> tuple[folium.Map, PlannerControls, list[LegendEntry]]:
    """An offline map with local Leaflet, our controls and the land/sea base (or online tiles).

    Returns the map, the controls (to receive the legend) and the legend entries so far; add
    overlays, then call :func:`finish_map`.
    """
    if opts.basemap not in BASEMAPS:
        raise ValueError(f"unknown base map {opts.basemap!r}; choose one of {', '.join(BASEMAPS)}")
    basemap = BASEMAPS[opts.basemap]
    m = folium.Map(location=CENTRE, zoom_start=9, tiles=None, min_zoom=7, max_zoom=18, zoom_snap=0.25)
    # Local assets only: a GeoJSON map needs nothing but Leaflet itself.
    m.default_js = [("leaflet", opts.assets.leaflet_js)]
    m.default_css = [("leaflet_css", opts.assets.leaflet_css)]
    folium.map.CustomPane("qdBase", z_index=250, pointer_events=False).add_to(m)
    legend_entries: list[LegendEntry] = []
    controls = PlannerControls(opts.lang, drawn_in=basemap.drawn_in)
    controls.add_to(m)  # first: defines QDPlanner before the layers use it
    if land is not None:
        base = _offline_base(
            land, context if context is not None else gpd.GeoDataFrame(geometry=[], crs=4326), opts, basemap
        )
        base.add_to(m)
        legend_entries.append(LegendEntry(t("legend_land", opts.lang), LAND_STYLE))
        legend_entries.append(
            LegendEntry(t("legend_sea", opts.lang), {"color": "#9fb8c8", "fillColor": SEA_COLOUR, "fillOpacity": 1.0})
        )
    online_name = t(basemap.label_key, opts.lang)
    for tile in tile_layers(opts.basemap, online_name, opts.tianditu_key):
        tile.add_to(m)
    return m, controls, legend_entries


def finish_map(
    m: folium.Map,
    controls: PlannerControls,
    legend_entries: list[LegendEntry],
    opts: MapOptions,
    land: shapely.Geometry | None,
    extra_legend: str = "",
    layer_control: bool = True,
) -> folium.Map:
    """Legend, layer control (unless the caller adds its own) and the view on the city (after all overlays)."""
    controls.set_legend(legend_html(t("legend_title", opts.lang), legend_entries) + extra_legend)
    if layer_control:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    bounds = (land or shapely.box(119.3, 35.6, 121.0, 37.1)).bounds
    m.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    return m


def plan_print_layers(layers: Mapping[str, gpd.GeoDataFrame], lang: str) -> list[PrintLayer]:
    """The plan layers as layers of a printed sheet, in draw order, styled and titled as on screen."""
    specs = layer_specs()
    out = []
    for layer_id in DRAW_ORDER:
        if layer_id not in layers:
            continue
        spec, gdf = specs[layer_id], layers[layer_id]
        title = _layer_title(spec, gdf, lang)
        legend = [(title, dict(spec.style))]
        if layer_id == "clusters" and spec.style_inferred and not gdf["plan_named"].all():
            legend.append((t("legend_inferred", lang), dict(spec.style_inferred)))
        out.append(PrintLayer(gdf, title, _style(spec) if spec.style_inferred else dict(spec.style), legend))
    return out


def build_plan_map(
    layers: Mapping[str, gpd.GeoDataFrame],
    opts: MapOptions,
    land: shapely.Geometry | None = None,
    context: gpd.GeoDataFrame | None = None,
    focus: shapely.Geometry | None = None,
) -> folium.Map:
    """Build the overview map of the plan.

    Parameters
    ----------
    layers : mapping of layer id → GeoDataFrame (EPSG:4326)
        Plan layers to draw (any subset of the registry ids).
    opts : MapOptions
        Language, base map, assets and simplification.
    land, context : optional
        Qingdao's land (the district union) and neighbouring land for the offline base; when
        omitted, the offline base is drawn from ``layers["districts"]`` alone.
    focus : shapely geometry, optional
        A place searched for (WGS84): marked, and the map opens on it.

    Returns
    -------
    folium.Map
    """
    specs = layer_specs()
    unknown = set(layers) - set(specs)
    if unknown:
        raise ValueError(f"unknown layers {sorted(unknown)}; known: {', '.join(specs)}")
    if land is None and "districts" in layers:
        land = shapely.union_all(layers["districts"].geometry.values)
    m, controls, legend_entries = start_map(opts, land, context)
    basemap = BASEMAPS[opts.basemap]
    for layer_id in DRAW_ORDER:
        if layer_id not in layers:
            continue
        spec, gdf = specs[layer_id], layers[layer_id]
        title = _layer_title(spec, gdf, opts.lang)
        clickable = bool(spec.popup)  # a layer without a popup is context (roads): not clickable, one feature
        geojson_layer(
            gdf if clickable else merged_lines(gdf),
            name=title,
            style=_style(spec),
            tooltip=_tooltip(spec, opts.lang) if clickable else None,
            popup=_popup(spec, opts.lang) if clickable else None,
            interactive=clickable,
            simplify_m=opts.simplify_m,
            precision=opts.precision,
            drawn_in=basemap.drawn_in,
            keep=("id", "adcode", "name"),
            **_point_marker(spec),
        ).add_to(m)
        is_line = spec.geometry.endswith("LineString")
        legend_entries.append(LegendEntry(title, spec.style, line=is_line))
        if layer_id == "clusters" and spec.style_inferred and not gdf["plan_named"].all():
            legend_entries.append(LegendEntry(t("legend_inferred", opts.lang), spec.style_inferred))
    if "districts" in layers:
        district_labels(layers["districts"], opts).add_to(m)
    m = finish_map(m, controls, legend_entries, opts, land)
    if focus is not None:
        add_focus(m, focus, basemap.drawn_in)
    return m
