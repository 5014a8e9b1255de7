"""The 亩产效益 map: enterprises by class, area choropleths, the raster surface and hot spots.

Pure presentation over the outputs of :mod:`analysis` (no Streamlit, no I/O). Enterprises are
drawn on one canvas (:class:`webmap.points.CanvasPoints`) so that 50 000 of them stay light;
choropleths are classified (:mod:`webmap.classify`) and carry their own legend (no branca colormap, which
would fetch d3 from a CDN); the raster is warped to Web Mercator and embedded as a PNG.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.land_yield.config import CLASS_INFO, INDICATORS
from analysis.land_yield.hotspots import HOTSPOT_LABELS
from analysis.land_yield.report import VERDICTS
from analysis.surface import SURFACE_VALUES, Surface
from geo.chinacoords import convert
from i18n import t
from webmap.basemaps import BASEMAPS
from webmap.classify import SCHEMES, class_breaks, classify
from webmap.controls import LegendEntry, legend_html
from webmap.focus import add_focus
from webmap.geojson import geojson_layer, info_table
from webmap.palette import HOT_SPOT_COLOURS
from webmap.plan_map import MapOptions, district_labels, finish_map, start_map
from webmap.points import CanvasPoints
from webmap.print_layout import PrintLayer
from webmap.raster_overlay import RAMP, add_raster_overlay, fmt_number

__all__ = ["SCHEMES", "AreaOverlay", "LandYieldOverlays", "build_land_yield_map", "land_yield_print_layers"]

SUPPRESSED_STYLE = {"color": "#9aa5b1", "weight": 0.6, "fillColor": "#d9dde3", "fillOpacity": 0.5, "dashArray": "3 3"}
HOT_COLOURS = HOT_SPOT_COLOURS
CLASS_ORDER = ("A", "B", "C", "D", "T")


@dataclass
class AreaOverlay:
    """A choropleth: areas from :mod:`analysis.land_yield.aggregate`, the figure shown and the scheme."""

    areas: gpd.GeoDataFrame
    title: str
    value: str = "tax_per_mu"
    scheme: str = "quantiles"
    k: int = 5


@dataclass
class LandYieldOverlays:
    """What to draw; any part may be missing."""

    firms: gpd.GeoDataFrame | None = None
    areas: list[AreaOverlay] = field(default_factory=list)
    surface: Surface | None = None
    hotspots: gpd.GeoDataFrame | None = None
    note: str = ""  # e.g. the synthetic-data label, shown in popups and the legend
    filtered: bool = False  # ``firms`` is a filtered selection: the layer and legend say so, with the count
    focus: tuple[str, str] | None = None  # (WKT, name) of the firm or place searched for: the map opens on it
    selected: gpd.GeoDataFrame | None = None  # firms selected in the results table: ringed, the map fitted to them
    marked: gpd.GeoDataFrame | None = None  # firms of a candidate list (relocation, low-efficiency): dashed rings
    marked_label: str = ""  # what the marked firms are, for the legend ("{n}" is their count)


LEADING_SHARE = "leading_share_pct"  # clusters: 主导产业集聚度 (%) from firm data (analysis.land_yield.concentration)


def _value_label(value: str, lang: str) -> tuple[str, str]:
    if value in INDICATORS:
        ind = INDICATORS[value]
        return (ind.zh if lang == "zh" else ind.en), ind.unit
    if value == "score_mean":
        return ("平均综合得分" if lang == "zh" else "Mean score"), ""
    if value == LEADING_SHARE:
        return ("主导产业集聚度" if lang == "zh" else "Leading-industry share"), "%"
    return value, ""


def _classify(values: pd.Series, scheme: str, k: int) -> tuple[np.ndarray, list[str]]:
    """Class index per value (−1 for missing) and the range label of each class."""
    finite = values.dropna()
    if finite.empty:
        return np.full(len(values), -1), []
    bins = class_breaks(finite.to_numpy(float), scheme, k)
    lows = [finite.min(), *bins[:-1]]
    return classify(values.to_numpy(float), bins), [
        f"{fmt_number(lo)} – {fmt_number(hi)}" for lo, hi in zip(lows, bins, strict=True)
    ]


def _ramp(n: int) -> list[str]:
    if n == 0:
        return []
    picks = np.linspace(0, len(RAMP) - 1, n).round().astype(int) if n > 1 else [len(RAMP) - 1]
    return [RAMP[i] for i in picks]


MAX_SELECTED_RINGS = 500
MAX_MARKED_RINGS = 3000


def _add_rings(m: folium.Map, firms: gpd.GeoDataFrame, opts: MapOptions, label: str, dashed: bool = False,
               cap: int = MAX_SELECTED_RINGS) -> str:  # fmt: skip
    """Ring firms (selected in the table: solid; of a candidate list: dashed); returns the legend's line."""
    located = firms[~firms.geometry.is_empty & firms.geometry.notna()]
    shown = located.head(cap)
    lon, lat = shown.geometry.x.to_numpy(), shown.geometry.y.to_numpy()
    if BASEMAPS[opts.basemap].drawn_in == "gcj02":
        lon, lat = convert(lon, lat, "wgs84", "gcj02")
    text = label.format(n=len(located)) + (t("ly_rings_capped", opts.lang).format(n=cap) if len(located) > cap else "")
    group = folium.FeatureGroup(name=text, control=False)
    for x, y in zip(lon, lat, strict=True):
        folium.CircleMarker([float(y), float(x)], radius=8 if dashed else 9, color="#111827", weight=2 if dashed
                            else 2.5, fill=False, interactive=False, dash_array="3 3" if dashed else None
                            ).add_to(group)  # fmt: skip
    group.add_to(m)
    return '<p class="qd-q">' + html.escape(text) + "</p>"


@dataclass
class _AreaClasses:
    """An area overlay classified: each area's class (−1: suppressed or missing), its style and the legend."""

    frame: gpd.GeoDataFrame
    colours: list[str]
    head: str
    entries: list[LegendEntry]

    def style(self, row: pd.Series) -> dict:
        if row["_cls"] < 0:
            return dict(SUPPRESSED_STYLE)
        return {"color": "#4a5560", "weight": 0.8, "fillColor": self.colours[row["_cls"]], "fillOpacity": 0.75}


def _area_classes(ov: AreaOverlay, lang: str) -> _AreaClasses:
    """The classes, colours and legend of an area overlay: the same on screen and on paper."""
    label, unit = _value_label(ov.value, lang)
    idx, ranges = _classify(ov.areas[ov.value].where(~ov.areas["suppressed"]), ov.scheme, ov.k)
    colours = _ramp(len(ranges))
    head = f"{ov.title}：{label}" + (f"（{unit}）" if unit else "")
    swatch = {"color": "#4a5560", "fillOpacity": 0.75}
    entries = [LegendEntry(r, {**swatch, "fillColor": c}) for r, c in zip(ranges, colours, strict=True)]
    if (idx < 0).any():
        entries.append(LegendEntry(t("ly_suppressed", lang), SUPPRESSED_STYLE))
    return _AreaClasses(ov.areas.assign(_cls=idx), colours, head, entries)


def _area_layer(ov: AreaOverlay, opts: MapOptions) -> tuple[folium.GeoJson, str]:
    lang = opts.lang
    label, unit = _value_label(ov.value, lang)
    classes = _area_classes(ov, lang)
    frame = classes.frame
    name_col = "name" if "name" in frame else None

    def popup(row: pd.Series) -> str:
        title = str(row[name_col]) if name_col else f"{ov.title}"
        rows = [(t("ly_firms", lang), row["n_firms"]), (t("ly_rated", lang), row["n_rated"])]
        if row["suppressed"]:
            rows.append((t("ly_suppressed", lang), t("ly_suppressed_note", lang)))
        else:
            rows.extend((f"{_value_label(i, lang)[0]} ({INDICATORS[i].unit})", row[i]) for i in INDICATORS)
            rows.append((_value_label("score_mean", lang)[0], row["score_mean"]))
            rows.extend((f"{c} %", row[f"share_{c}"] * 100) for c in "ABCD")
            if LEADING_SHARE in row.index:  # clusters: the plan's indicator against its target (五(六)2)
                rows.append((f"{_value_label(LEADING_SHARE, lang)[0]} (%)", row[LEADING_SHARE]))
                target = t("ly_leading_target", lang).format(pct=f"{row['target_pct']:g}", year=row["target_year"],
                                                             section=row["target_section"])  # fmt: skip
                rows.append((target, VERDICTS[row["verdict"]][0 if lang == "zh" else 1]))
        return info_table(title, rows)

    def tooltip(row: pd.Series) -> str:
        value = t("ly_suppressed", lang) if row["suppressed"] else f"{fmt_number(row[ov.value])} {unit}"
        name = str(row[name_col]) if name_col else ""
        return info_table(f"{name} · {label}", [(label, value)], css_class="qd-tip")

    layer = geojson_layer(
        frame, name=f"{ov.title} · {label}", style=classes.style, tooltip=tooltip, popup=popup,
        simplify_m=opts.simplify_m, precision=opts.precision, drawn_in=BASEMAPS[opts.basemap].drawn_in, keep=(),
    )  # fmt: skip
    return layer, legend_html(classes.head, classes.entries)


def _firm_legend(lang: str) -> list[LegendEntry]:
    return [
        LegendEntry(f"{c} {CLASS_INFO[c]['zh' if lang == 'zh' else 'en']}", {"color": CLASS_INFO[c]["colour"],
                    "fillColor": CLASS_INFO[c]["colour"], "fillOpacity": 0.9})
        for c in CLASS_ORDER
    ]  # fmt: skip


def land_yield_print_layers(overlays: LandYieldOverlays, lang: str,
                            districts: gpd.GeoDataFrame | None = None) -> list[PrintLayer]:  # fmt: skip
    """The 亩产效益 map's area figures, district outlines and firms as layers of a printed sheet.

    The same classes, colours and legend as :func:`build_land_yield_map` (the raster surface and
    hot spots are not printed).
    """
    out = []
    for ov in overlays.areas:
        classes = _area_classes(ov, lang)
        legend = [(classes.head, {"color": "#ffffff", "weight": 0, "fillOpacity": 0})]
        legend += [(e.label, e.style) for e in classes.entries]
        out.append(PrintLayer(classes.frame, classes.head, classes.style, legend))
    if districts is not None:
        outline = {"color": "#5f6b7a", "weight": 1.2, "fillOpacity": 0.0, "dashArray": "4 3"}
        out.append(PrintLayer(districts, t("ly_layer_districts", lang), outline))
    if overlays.firms is not None:
        firms = overlays.firms[~overlays.firms.geometry.is_empty & overlays.firms.geometry.notna()]
        firms = firms[firms["class"].isin(CLASS_ORDER)]
        styles = {c: {**e.style, "radius": 1.5, "weight": 0} for c, e in zip(CLASS_ORDER, _firm_legend(lang),
                                                                             strict=True)}  # fmt: skip
        legend = [(e.label, styles[c]) for c, e in zip(CLASS_ORDER, _firm_legend(lang), strict=True)]
        out.append(PrintLayer(firms[["class", "geometry"]], t("ly_layer_firms", lang), styles, legend, by="class"))
    return out


def _firm_layer(
    firms: gpd.GeoDataFrame, opts: MapOptions, note: str, filtered: bool = False
) -> tuple[CanvasPoints, list[LegendEntry]]:
    lang = opts.lang
    located = firms[~firms.geometry.is_empty & firms.geometry.notna()]
    located = located[located["class"].isin(CLASS_ORDER)]
    name = t("ly_layer_firms", lang)
    if filtered:
        name += t("ly_layer_firms_filtered", lang).format(n=f"{len(located):,}")
    cat = located["class"].map({c: i for i, c in enumerate(CLASS_ORDER)}).to_numpy()
    colours = [CLASS_INFO[c]["colour"] for c in CLASS_ORDER]
    ind = INDICATORS["tax_per_mu"]
    columns = {
        t("ly_class", lang): located["class"] + " " + located["class_name" if lang == "zh" else "class"],
        t("ly_score", lang): located["score"],
        f"{ind.zh if lang == 'zh' else ind.en} ({ind.unit})": located["tax_per_mu"],
        t("ly_land", lang): located["land_mu"],
        t("ly_district", lang): located["district"],
        t("ly_industry", lang): located["industry"],
    }
    if "objection_note" in located.columns:  # classes changed or kept on an objection: said in the popup
        columns[t("ly_objection_popup", lang)] = located["objection_note"].fillna("")
    layer = CanvasPoints(
        located.geometry.x.to_numpy(), located.geometry.y.to_numpy(), cat, colours,
        name=name, labels=located["name"].tolist(), columns=columns, note=note,
        drawn_in=BASEMAPS[opts.basemap].drawn_in,  # "select in table" types the firm's name (its label) into the search
        select_into=t("ly_search", lang), select_label=t("ly_select_in_table", lang),
    )  # fmt: skip
    return layer, _firm_legend(lang)


def build_land_yield_map(
    overlays: LandYieldOverlays,
    opts: MapOptions,
    land: shapely.Geometry | None = None,
    context: gpd.GeoDataFrame | None = None,
    districts: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """The 亩产效益 map with the chosen overlays, a legend and the planner's controls."""
    lang = opts.lang
    m, controls, legend = start_map(opts, land, context)
    extra = ""
    if districts is not None:
        outline = {"color": "#5f6b7a", "weight": 1.2, "fillOpacity": 0.0, "dashArray": "4 3"}
        geojson_layer(
            districts, name=t("ly_layer_districts", lang), style=outline, simplify_m=max(opts.simplify_m, 50),
            precision=opts.precision, drawn_in=BASEMAPS[opts.basemap].drawn_in, keep=(), interactive=False,
        ).add_to(m)  # fmt: skip
    for ov in overlays.areas:
        layer, block = _area_layer(ov, opts)
        layer.add_to(m)
        extra += block
    if overlays.surface is not None:
        label, unit = SURFACE_VALUES[overlays.surface.value]
        title = t("ly_layer_surface", lang) + f"（{label}，{unit}）"
        extra += add_raster_overlay(m, overlays.surface, title, BASEMAPS[opts.basemap].drawn_in, lang)
    if overlays.hotspots is not None:
        spots = overlays.hotspots

        def hs_style(row: pd.Series) -> dict:
            colour = HOT_COLOURS[row["category"]]
            opacity = 0.55 if row["category"] != "ns" else 0.15
            return {"color": colour, "weight": 0.5, "fillColor": colour, "fillOpacity": opacity}

        def hs_tip(row: pd.Series) -> str:
            label = HOTSPOT_LABELS[row["category"]][0 if lang == "zh" else 1]
            rows = [("Gi* z", row["gi_z"]), ("p", row["p_sim"]), (t("ly_score", lang), row["score_mean"])]
            return info_table(label, rows, css_class="qd-tip")

        geojson_layer(
            spots, name=t("ly_layer_hotspots", lang), style=hs_style, tooltip=hs_tip, precision=opts.precision,
            drawn_in=BASEMAPS[opts.basemap].drawn_in, keep=(),
        ).add_to(m)  # fmt: skip
        for cat, colour in HOT_COLOURS.items():
            legend.append(LegendEntry(HOTSPOT_LABELS[cat][0 if lang == "zh" else 1],
                                      {"color": colour, "fillColor": colour, "fillOpacity": 0.55}))  # fmt: skip
    if overlays.firms is not None:
        points, entries = _firm_layer(overlays.firms, opts, overlays.note, overlays.filtered)
        points.add_to(m)
        legend.extend(entries)
        if overlays.filtered:  # the legend says the points are a selection, and how many
            extra += '<p class="qd-q">' + html.escape(points.layer_name) + "</p>"
    if districts is not None:
        district_labels(districts, opts).add_to(m)
    if overlays.note:
        extra += f'<p class="qd-q">{html.escape(overlays.note)}</p>'
    if overlays.selected is not None and not overlays.selected.empty:
        extra += _add_rings(m, overlays.selected, opts, t("ly_layer_selected", opts.lang))
    if overlays.marked is not None:
        extra += _add_rings(m, overlays.marked, opts, overlays.marked_label, dashed=True, cap=MAX_MARKED_RINGS)
    m = finish_map(m, controls, legend, opts, land, extra_legend=extra)
    if overlays.selected is not None and overlays.focus is None:
        located = overlays.selected[~overlays.selected.geometry.is_empty & overlays.selected.geometry.notna()]
        if not located.empty:
            add_focus(m, shapely.MultiPoint(list(located.geometry)).envelope if len(located) > 1 else
                      located.geometry.iloc[0], BASEMAPS[opts.basemap].drawn_in, ring=False)  # fmt: skip
    if overlays.focus is not None:  # after the view on the city: the map opens on the firm or place instead
        add_focus(m, shapely.from_wkt(overlays.focus[0]), BASEMAPS[opts.basemap].drawn_in)
    return m
