"""Base maps: the offline base drawn from our own data (default) and opt-in online tiles.

Online tiles send requests to external servers, so they are never chosen by default. Gaode
(Amap) tiles are in GCJ-02; a map that shows them must draw every overlay in GCJ-02 too
(``Basemap.drawn_in``), or features appear ≈ 460 m off.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium

__all__ = ["BASEMAPS", "Basemap", "BasemapError", "tile_layers"]


@dataclass(frozen=True)
class Basemap:
    """A base-map choice."""

    id: str
    label_key: str
    online: bool
    drawn_in: str = "wgs84"
    needs_key: bool = False


BASEMAPS: dict[str, Basemap] = {
    "offline": Basemap("offline", "basemap_offline", online=False),
    "osm": Basemap("osm", "basemap_osm", online=True),
    "tianditu": Basemap("tianditu", "basemap_tianditu", online=True, needs_key=True),
    "gaode": Basemap("gaode", "basemap_gaode", online=True, drawn_in="gcj02"),
}


class BasemapError(ValueError):
    """Unknown base map, or one that needs a key that was not given."""


def tile_layers(basemap_id: str, name: str, tianditu_key: str | None = None) -> list[folium.TileLayer]:
    """Tile layers of an online base map (empty for ``"offline"``).

    Parameters
    ----------
    basemap_id : str
        One of :data:`BASEMAPS`.
    name : str
        Name shown in the layer control.
    tianditu_key : str, optional
        天地图 browser key, required for ``"tianditu"``.
    """
    if basemap_id not in BASEMAPS:
        raise BasemapError(f"unknown base map {basemap_id!r}; choose one of {', '.join(BASEMAPS)}")
    if basemap_id == "offline":
        return []
    if basemap_id == "osm":
        return [
            folium.TileLayer(
                "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                attr="© OpenStreetMap contributors",
                name=name,
                max_zoom=19,
                overlay=False,
            )
        ]
    if basemap_id == "tianditu":
        if not tianditu_key or not tianditu_key.strip():
            raise BasemapError("天地图 needs a key (TIANDITU_KEY)")
        key = tianditu_key.strip()
        wmts = (
            "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
            "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}"
            "&TILECOL={{x}}&tk={key}"
        )
        subdomains = "01234567"
        return [
            folium.TileLayer(
                wmts.format(s="{s}", layer="vec", key=key),
                attr="© 天地图 / 国家地理信息公共服务平台",
                name=name,
                subdomains=subdomains,
                max_zoom=18,
                overlay=False,
            ),
            folium.TileLayer(
                wmts.format(s="{s}", layer="cva", key=key),
                attr="© 天地图",
                name=f"{name} · 注记",
                subdomains=subdomains,
                max_zoom=18,
                overlay=True,
            ),
        ]
    return [
        folium.TileLayer(
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
            attr="© 高德地图 (GCJ-02)",
            name=name,
            subdomains="1234",
            max_zoom=18,
            overlay=False,
        )
    ]
