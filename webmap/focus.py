"""Open a map on a place: a firm, a district, a cluster, a town or typed coordinates.

:func:`add_focus` marks the place (a ring around a point, a dashed outline around an area) and
opens the map on it: a point at zoom 14, an area fitted to the frame. The view is set again once
the page has settled and when the page resizes the map (``views/layout.py``): a view set while the
map still animates towards the city view is ignored by Leaflet.
"""

from __future__ import annotations

import folium
import numpy as np
import shapely
from jinja2 import Template

from geo.chinacoords import convert_geometry
from webmap.fast_render import FastMacro

__all__ = ["FocusView", "add_focus"]


class FocusView(FastMacro):
    """Open the map on a point at ``zoom``, or on the box (south, west, north, east) fitted."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (m) {
          function go() {
            {%- if this.zoom %}
            m.setView([{{ this.box[0] }}, {{ this.box[1] }}], {{ this.zoom }}, {animate: false});
            {%- else %}
            m.fitBounds([[{{ this.box[0] }}, {{ this.box[1] }}], [{{ this.box[2] }}, {{ this.box[3] }}]],
                        {animate: false, padding: [24, 24], maxZoom: 15});
            {%- endif %}
          }
          go();
          setTimeout(go, 400);  // again once the page has settled (an animation then in progress ignores it)
          m.once('resize', go);
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, south: float, west: float, north: float | None = None, east: float | None = None,
                 zoom: int | None = None):  # fmt: skip
        super().__init__()
        self._name = "FocusView"
        if zoom is None and (north is None or east is None):
            raise ValueError("give a box (south, west, north, east) or a point with a zoom")
        self.box = [round(float(v), 6) for v in (south, west, north or south, east or west)]
        self.zoom = zoom


def add_focus(m: folium.Map, geometry: shapely.Geometry, drawn_in: str = "wgs84", zoom: int = 14,
              ring: bool = True) -> None:  # fmt: skip
    """Mark ``geometry`` (WGS84) on ``m`` and open the map on it (call after the map's own view is set).

    ``ring=False`` only opens the map on it (what it is about is marked already).
    """
    if geometry is None or geometry.is_empty:
        return
    if drawn_in == "gcj02":
        geometry = convert_geometry(np.asarray([geometry]), "wgs84", "gcj02")[0]
    if geometry.geom_type == "Point":
        if ring:  # not interactive: a click still reaches what lies below
            folium.CircleMarker([geometry.y, geometry.x], radius=14, color="#111827", weight=3, fill=False,
                                interactive=False).add_to(m)  # fmt: skip
        FocusView(geometry.y, geometry.x, zoom=zoom).add_to(m)
        return
    if ring:
        outline = {"color": "#111827", "weight": 3, "dashArray": "8 5", "fill": False}
        folium.GeoJson(shapely.geometry.mapping(shapely.boundary(geometry)), style_function=lambda _: outline,
                       interactive=False, control=False).add_to(m)  # fmt: skip
    west, south, east, north = geometry.bounds
    FocusView(south, west, north, east).add_to(m)
