"""The planner's own Leaflet controls as folium elements, with no external assets.

:class:`PlannerControls` embeds ``static/planner_controls.js`` in the map script and
``planner_controls.css`` in the page header. It must be added to the map before any layer that
uses ``QDPlanner.bindInfo`` (see :func:`webmap.geojson.geojson_layer`).
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path

from jinja2 import Template

from i18n import t
from webmap.fast_render import FastMacro

__all__ = ["LegendEntry", "PlannerControls", "legend_html"]

_STATIC = Path(__file__).with_name("static")


@cache
def _read(name: str) -> str:
    return (_STATIC / name).read_text(encoding="utf-8")


class PlannerControls(FastMacro):
    """Metric scale bar, full screen, measure (distance, area in 亩), cursor coordinates, legend.

    Parameters
    ----------
    lang : {"zh", "en"}
        Language of titles and hints.
    legend : str
        Legend HTML (already escaped), see :func:`legend_html`.
    drawn_in : {"wgs84", "gcj02"}
        CRS the map is drawn in; with ``"gcj02"`` the cursor read-out is converted back to WGS84.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this.js }}
        L.control.scale({imperial: false, maxWidth: 160}).addTo({{ this._parent.get_name() }});
        QDPlanner.addFullscreen({{ this._parent.get_name() }}, {{ this.fullscreen_opts }});
        QDPlanner.addMeasure({{ this._parent.get_name() }}, {{ this.measure_opts }});
        QDPlanner.addMousePosition({{ this._parent.get_name() }}, {{ this.mouse_opts }});
        QDPlanner.localise({{ this._parent.get_name() }}, {{ this.leaflet_opts }});
        {%- if this.legend %}
        QDPlanner.addLegend({{ this._parent.get_name() }}, {{ this.legend }});
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, lang: str = "zh", legend: str = "", drawn_in: str = "wgs84"):
        super().__init__()
        self._name = "PlannerControls"
        self.css = _read("planner_controls.css")
        self.js = _read("planner_controls.js")
        self.fullscreen_opts = json.dumps({"title": t("fullscreen", lang)}, ensure_ascii=False)
        self.measure_opts = json.dumps(
            {
                "distance": t("measure_distance", lang),
                "area": t("measure_area", lang),
                "clear": t("measure_clear", lang),
                "hint": t("measure_hint", lang),
                "mu": t("unit_mu", lang),
                "tenThousandMu": t("unit_10k_mu", lang),
            },
            ensure_ascii=False,
        )
        self.mouse_opts = json.dumps({"label": "WGS84", "drawnIn": drawn_in})
        self.leaflet_opts = json.dumps(  # Leaflet's own English titles (zoom, layer control)
            {
                "zoomIn": t("leaflet_zoom_in", lang),
                "zoomOut": t("leaflet_zoom_out", lang),
                "layers": t("leaflet_layers", lang),
            },
            ensure_ascii=False,
        )
        self.legend = ""
        self.set_legend(legend)

    def set_legend(self, markup: str) -> None:
        """Set the legend HTML (already escaped); an empty string draws no legend."""
        # A JSON string literal, with "</" broken so it cannot close the <script> tag.
        self.legend = json.dumps(markup, ensure_ascii=False).replace("</", "<\\/") if markup else ""


class LegendEntry:
    """One legend row: a swatch drawn from a Leaflet path style and a label."""

    def __init__(self, label: str, style: dict, note: str = "", line: bool = False):
        self.label = label
        self.style = style
        self.note = note
        self.line = line

    def swatch(self) -> str:
        """Inline-styled ``<span>`` imitating the path style (values come from our catalogue)."""
        s = self.style
        colour = s.get("color", "#333")
        if self.line:
            css = f"border:0;border-top:{max(2, int(s.get('weight', 2)))}px solid {colour};height:0;margin-bottom:3px"
        else:
            border = "dashed" if s.get("dashArray") else "solid"
            fill = s.get("fillColor", colour)
            opacity = max(0.35, s.get("fillOpacity", 0.3) + 0.3)
            css = f"border:1.5px {border} {colour};background:{fill};opacity:{opacity:.2f}"
        return f'<span class="qd-sw" style="{html.escape(css)}"></span>'


def legend_html(title: str, entries: list[LegendEntry]) -> str:
    """Legend HTML with every label escaped."""
    rows = [f"<h4>{html.escape(title)}</h4>"]
    for entry in entries:
        note = f' <span class="qd-q">{html.escape(entry.note)}</span>' if entry.note else ""
        rows.append(f"<div>{entry.swatch()}{html.escape(entry.label)}{note}</div>")
    return "".join(rows)
