"""The site-selection map: clusters coloured by score, candidate plots with their rank, constraints.

Pure presentation over a :class:`analysis.siting.rank.SiteResult` (no Streamlit, no I/O). Clusters are
coloured by score (compliant) or greyed with a red outline (a rule failed), the best plots carry
their rank, and the exclusion zones, transport nodes, axes and an optional suitability raster
come with the legend. Every tooltip and popup is built from escaped text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from jinja2 import Template

from analysis.siting.rank import SiteResult
from analysis.surface import Surface
from i18n import t
from i18n.render import render_all
from layers.catalogue import layer_specs
from webmap.basemaps import BASEMAPS
from webmap.controls import LegendEntry
from webmap.fast_render import FastMacro
from webmap.geojson import circle_marker, geojson_layer, info_table, merged_lines
from webmap.palette import ISOCHRONE_COLOURS, ROAD_STYLE
from webmap.plan_map import MapOptions, district_labels, finish_map, label_markers, start_map
from webmap.print_layout import PrintLayer, Style
from webmap.raster_overlay import RAMP, add_raster_overlay

__all__ = ["SCORE_BINS", "SitingMapData", "SitingMapParts", "build_siting_map", "siting_print_layers"]

SCORE_BINS = (40.0, 55.0, 70.0, 85.0)  # score classes: < 40, 40–55, 55–70, 70–85, ≥ 85 points
FAILED_STYLE = {"color": "#b91c1c", "weight": 1.5, "fillColor": "#d1d5db", "fillOpacity": 0.45, "dashArray": "4 3"}
MAX_OTHER_PLOTS = 3000  # plots beyond the ranked ones are drawn up to this number, best first


@dataclass
class SitingMapData:
    """What to draw besides the result: plan layers (EPSG:4326) and an optional raster."""

    clusters: gpd.GeoDataFrame
    axes: gpd.GeoDataFrame
    exclusion_zones: gpd.GeoDataFrame
    transport_nodes: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame | None = None
    suitability: Surface | None = None
    top_plots: int = 10
    regions: gpd.GeoDataFrame | None = None  # the best contiguous regions of the raster (analysis.siting.regions)
    roads: gpd.GeoDataFrame | None = None  # the road network the distances are measured on (layers.roads)
    isochrones: gpd.GeoDataFrame | None = None  # drive-time bands (analysis.siting.network.isochrone_frame)


REGION_STYLE = {"color": "#111827", "weight": 3.0, "fillOpacity": 0.0}  # outlined: the raster shows through


def _score_colour(score: float) -> str:
    return RAMP[int(np.searchsorted(SCORE_BINS, score, side="right"))]


def _candidate_style(row: pd.Series) -> dict:
    if not row["compliant"]:
        return dict(FAILED_STYLE)
    return {"color": "#374151", "weight": 1.2, "fillColor": _score_colour(row["score"]), "fillOpacity": 0.75}


def _popup(row: pd.Series, result: SiteResult, lang: str, kind: str) -> str:
    verdict = t("site_compliant" if row["compliant"] else "site_not_compliant", lang)
    rows: list[tuple[str, object]] = [(t("site_rank", lang), f"{int(row['rank'])}"),
                                      (t("site_score", lang), f"{row['score']:.1f} / 100"),
                                      (t("site_verdict", lang), verdict)]  # fmt: skip
    if kind == "plot":
        rows.append((t("site_area", lang), f"{row['area_mu']:,.1f}"))
        rows.append((t("site_cluster", lang), row["cluster"] or "—"))
    rows += [(t(f"factor_{f}", lang), f"{row[f'pts_{f}']:.1f}") for f in result.weights]
    failed = render_all(row["failures"], lang)
    reasons = render_all(list(row["reasons"])[:4], lang)
    body = info_table(str(row["name"]), rows)
    lines = "".join(f"<li>{html.escape(x)}</li>" for x in failed + reasons)
    return body.replace("</table></div>", f'</table><ul class="qd-reasons">{lines}</ul></div>')


def _tooltip(row: pd.Series, lang: str) -> str:
    verdict = t("site_compliant" if row["compliant"] else "site_not_compliant", lang)
    rows = [(t("site_score", lang), f"{row['score']:.1f}"), (t("site_verdict", lang), verdict)]
    return info_table(f"{int(row['rank'])}. {row['name']}", rows, css_class="qd-tip")


class _ProjectLine(FastMacro):
    """Writes the project into the legend's project line when its layer group is added to the map."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
          var line = document.querySelector('.qd-project');
          if (line) { line.textContent = {{ this.text|tojson }}; }
        })();
        {% endmacro %}"""
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "ProjectLine"
        self.text = text


@dataclass
class SitingMapParts:
    """The siting map split for ``st_folium``: a new submission changes only ``groups``.

    ``base`` holds what does not depend on the project (base map, exclusion zones, axes, nodes,
    districts, the suitability raster and the legend); ``groups`` the project's clusters by score,
    other plots, recommended plots with their ranks, and its line in the legend; ``control`` the
    layer control over both. Passed as ``st_folium(base, feature_group_to_add=groups,
    layer_control=control)``, the browser keeps the map and swaps the groups (a whole new map took
    most of a 1.6 s submission, ``benchmarks/siting_page.py``).
    """

    base: folium.Map
    groups: list[folium.FeatureGroup]
    control: folium.LayerControl


def _project_text(result: SiteResult, lang: str) -> str:
    project = result.project
    return f"{t('site_project', lang)}：{project.term} · {project.land_mu:,.0f} {t('unit_mu', lang)}"


def _result_layers(result: SiteResult, data: SitingMapData, opts: MapOptions, parents: list) -> None:
    """The project's clusters, other plots and recommended plots, each into its parent (map or group)."""
    lang, drawn_in = opts.lang, BASEMAPS[opts.basemap].drawn_in
    common: dict[str, Any] = {"precision": opts.precision, "drawn_in": drawn_in}
    clusters_parent, others_parent, top_parent = parents
    clusters = data.clusters.merge(result.clusters.drop(columns="name"), on="id", how="inner")
    geojson_layer(
        clusters, name=t("site_layer_clusters", lang), style=_candidate_style, keep=("id",),
        tooltip=lambda r: _tooltip(r, lang), popup=lambda r: _popup(r, result, lang, "cluster"),
        simplify_m=opts.simplify_m, **common,
    ).add_to(clusters_parent)  # fmt: skip
    plots = result.plots
    if not len(plots):
        return
    top = plots.head(data.top_plots)
    others = plots.iloc[data.top_plots : data.top_plots + MAX_OTHER_PLOTS]
    if len(others):
        geojson_layer(
            others, name=t("site_layer_other_plots", lang), keep=(),
            style=lambda r: {"color": "#92400e" if r["compliant"] else "#9ca3af", "weight": 0.6,
                             "fillColor": "#fcd34d" if r["compliant"] else "#e5e7eb", "fillOpacity": 0.5},
            tooltip=lambda r: _tooltip(r, lang), **common,
        ).add_to(others_parent)  # fmt: skip
    geojson_layer(
        top, name=t("site_layer_top_plots", lang).format(k=len(top)), style=_candidate_style, keep=("id",),
        tooltip=lambda r: _tooltip(r, lang), popup=lambda r: _popup(r, result, lang, "plot"), **common,
    ).add_to(top_parent)  # fmt: skip
    ranks = [f'<div class="qd-rank">{int(r)}</div>' for r in top["rank"]]
    label_markers(top, ranks, "rank", drawn_in, icon_size=(22, 22), control=False).add_to(top_parent)


def build_siting_map(
    result: SiteResult,
    data: SitingMapData,
    opts: MapOptions,
    land: shapely.Geometry | None = None,
    context: gpd.GeoDataFrame | None = None,
    split: bool = False,
) -> Any:
    """The site-selection map for ``result`` (see the module docstring).

    Returns a :class:`folium.Map`, or with ``split`` a :class:`SitingMapParts` for ``st_folium``.
    """
    lang = opts.lang
    drawn_in = BASEMAPS[opts.basemap].drawn_in
    specs = layer_specs()
    m, controls, legend = start_map(opts, land, context)
    folium.map.CustomPane("qdAbove", z_index=450).add_to(m)  # axes and nodes over the scored areas
    extra = ""
    common: dict[str, Any] = {"precision": opts.precision, "drawn_in": drawn_in}
    if data.suitability is not None:
        extra += add_raster_overlay(m, data.suitability, t("site_layer_suitability", lang), drawn_in, lang)
    if data.regions is not None and len(data.regions):
        name = t("site_layer_regions", lang).format(n=len(data.regions))

        def region_tip(r: pd.Series) -> str:
            rows = [(t("unit_mu", lang), r["area_mu"]), (t("site_region_mean", lang), r["mean_score"])]
            return info_table(f"#{int(r['rank'])}", rows, "qd-tip")

        geojson_layer(data.regions, name=name, style=REGION_STYLE, tooltip=region_tip, keep=(), **common).add_to(m)
        legend.append(LegendEntry(name, REGION_STYLE))
    if data.roads is not None and len(data.roads):
        roads = specs["roads"]
        geojson_layer(merged_lines(data.roads), name=roads.label(lang), style=ROAD_STYLE, keep=(), interactive=False,
                      **common).add_to(m)  # fmt: skip
        legend.append(LegendEntry(roads.label(lang), ROAD_STYLE, line=True))
    if data.isochrones is not None and len(data.isochrones):
        bands = data.isochrones.sort_values("minutes", ascending=False)  # the largest first, under the others
        colour = dict(zip(sorted(bands["minutes"]), ISOCHRONE_COLOURS, strict=False))
        name = t("site_layer_isochrones", lang).format(origin=str(bands["origin"].iloc[0]))

        def band_style(r: pd.Series | dict) -> dict:
            c = colour.get(r["minutes"], ISOCHRONE_COLOURS[-1])
            return {"color": c, "weight": 2.0, "fillColor": c, "fillOpacity": 0.08}

        def band_tip(r: pd.Series) -> str:
            rows = [(t("site_iso_minutes", lang), f"{r['minutes']:g}"),
                    (t("site_iso_area", lang), f"{r['area_km2']:,.0f}")]  # fmt: skip
            return info_table(str(r["origin"]), rows, "qd-tip")

        geojson_layer(bands, name=name, style=band_style, tooltip=band_tip, keep=(), **common).add_to(m)
        for minutes in colour:
            legend.append(LegendEntry(t("site_iso_legend", lang).format(m=minutes), band_style({"minutes": minutes})))
    for layer_id in ("exclusion_zones",):
        frame = data.exclusion_zones
        if len(frame):
            spec = specs[layer_id]
            tip = lambda r: info_table(str(r["name"]), [(t("source", lang), r.get("source", ""))], "qd-tip")  # noqa: E731
            geojson_layer(frame, name=spec.label(lang), style=spec.style, tooltip=tip, keep=(), **common).add_to(m)
            legend.append(LegendEntry(spec.label(lang), spec.style))
    groups: list[folium.FeatureGroup] = []
    if split:
        names = ("site_layer_clusters", "site_layer_other_plots", "site_layer_top_plots")
        groups = [folium.FeatureGroup(name=t(n, lang).format(k=data.top_plots)) for n in names]
        _ProjectLine(_project_text(result, lang)).add_to(groups[0])
        _result_layers(result, data, opts, groups)
    else:
        _result_layers(result, data, opts, [m, m, m])
    axes = specs["axes"]
    geojson_layer(data.axes, name=axes.label(lang), style=axes.style, keep=(), interactive=False,
                  simplify_m=opts.simplify_m, pane="qdAbove", **common).add_to(m)  # fmt: skip
    legend.append(LegendEntry(axes.label(lang), axes.style, line=True))
    nodes = specs["transport_nodes"]
    if len(data.transport_nodes):

        def tip(r: pd.Series) -> str:
            rows = [
                (t("site_node_kind", lang), r["kind_name"]),
                (t("site_accuracy", lang), f"±{r['accuracy_km']:g} km"),
            ]
            return info_table(str(r["name"]), rows, "qd-tip")

        geojson_layer(data.transport_nodes, name=nodes.label(lang), style=nodes.style, tooltip=tip, keep=(),
                      marker=circle_marker(nodes.style), pane="qdAbove", **common).add_to(m)  # fmt: skip
        legend.append(LegendEntry(nodes.label(lang), nodes.style))
    if data.districts is not None:
        district_labels(data.districts, opts).add_to(m)
    lows = ("< 40", "40 – 55", "55 – 70", "70 – 85", "≥ 85")
    legend.extend(LegendEntry(f"{t('site_score', lang)} {label}", {"color": "#374151", "fillColor": colour,
                                                                   "fillOpacity": 0.75})
                  for label, colour in zip(lows, RAMP, strict=True))  # fmt: skip
    legend.append(LegendEntry(t("site_not_compliant", lang), FAILED_STYLE))
    line = "" if split else _project_text(result, lang)  # split: written by the groups (_ProjectLine)
    extra = f'<p class="qd-project">{html.escape(line)}</p>' + extra
    for note in render_all(result.samples, lang):
        extra += f'<p class="qd-q">{html.escape(note)}</p>'
    m = finish_map(m, controls, legend, opts, land, extra_legend=extra, layer_control=not split)
    if not split:
        return m
    return SitingMapParts(m, groups, folium.LayerControl(collapsed=False, position="topright"))


def _band(score: float, compliant: bool) -> str:
    return "fail" if not compliant else str(int(np.searchsorted(SCORE_BINS, score, side="right")))


TOP_PLOT_OUTLINE = {"color": "#111827", "weight": 2.0, "fillOpacity": 0.0}  # the recommended plots, on paper


def siting_print_layers(
    result: SiteResult, data: SitingMapData, lang: str, plot_labels: bool = False
) -> list[PrintLayer]:
    """The site-selection map as layers of a printed sheet (:func:`webmap.print_layout.print_map`): the same
    colours as on screen — clusters and the recommended plots by score class, non-compliant ones hatched
    grey — with ranks written on the clusters (and on the plots, P1 …, with ``plot_labels``: for a detail
    map); roads, exclusion zones, axes and transport nodes."""
    specs = layer_specs()
    lows = ("< 40", "40 – 55", "55 – 70", "70 – 85", "≥ 85")
    styles: dict[str, Style] = {str(k): {"color": "#374151", "weight": 1.0, "fillColor": c, "fillOpacity": 0.75}
                                for k, c in enumerate(RAMP)}  # fmt: skip
    styles["fail"] = dict(FAILED_STYLE)
    legend = [(f"{t('site_score', lang)} {label}", styles[str(k)]) for k, label in enumerate(lows)]
    legend.append((t("site_not_compliant", lang), styles["fail"]))
    out = []
    if data.roads is not None and len(data.roads):
        out.append(PrintLayer(data.roads, specs["roads"].label(lang), {**ROAD_STYLE, "weight": 0.6}))
    if len(data.exclusion_zones):
        zones = specs["exclusion_zones"]
        out.append(PrintLayer(data.exclusion_zones, zones.label(lang), zones.style))
    clusters = data.clusters[["id", "geometry"]].merge(result.clusters[["id", "rank", "score", "compliant"]], on="id")
    clusters["band"] = [_band(s, c) for s, c in zip(clusters["score"], clusters["compliant"], strict=True)]
    out.append(PrintLayer(clusters, t("site_layer_clusters", lang), styles, legend, by="band", label="rank"))
    top = result.plots.head(data.top_plots)
    if len(top):
        top = top[["rank", "score", "compliant", "geometry"]].copy()
        top["band"] = [_band(s, c) for s, c in zip(top["score"], top["compliant"], strict=True)]
        top["label"] = "P" + top["rank"].astype(str)
        title = t("site_layer_top_plots", lang).format(k=len(top))
        out.append(PrintLayer(top, title, styles, [], by="band"))  # filled by score class (legend: the clusters')
        out.append(PrintLayer(top, title, TOP_PLOT_OUTLINE, label="label" if plot_labels else None))
    axes = specs["axes"]
    out.append(PrintLayer(data.axes, axes.label(lang), axes.style))
    nodes = specs["transport_nodes"]
    out.append(PrintLayer(data.transport_nodes, nodes.label(lang), nodes.style))
    return out
