"""The registry of plan layers: ids, specs and one loader per id."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import geopandas as gpd

from layers import build, roads, siting_layers
from layers.catalogue import LayerSpec, layer_specs

__all__ = ["LAYER_IDS", "PLAN_LAYER_IDS", "UnknownLayerError", "load_layer", "load_layers", "spec"]

_LOADERS: dict[str, Callable[..., gpd.GeoDataFrame]] = {
    "districts": build.districts,
    "bay_areas": build.bay_areas,
    "axes": build.axes,
    "axis_corridors": build.axis_corridors,
    "clusters": build.clusters,
    "transport_nodes": siting_layers.transport_nodes,
    "roads": roads.roads,
    "exclusion_zones": siting_layers.exclusion_zones,
    "plots": siting_layers.plots,
}
LAYER_IDS: tuple[str, ...] = tuple(layer_specs())
PLAN_LAYER_IDS: tuple[str, ...] = tuple(i for i, s in layer_specs().items() if s.group == "plan")


class UnknownLayerError(KeyError):
    """A layer id that the registry does not know."""

    def __str__(self) -> str:
        return self.args[0]


def _check(layer_id: str) -> None:
    if layer_id not in _LOADERS or layer_id not in LAYER_IDS:
        raise UnknownLayerError(f"未知图层 / unknown layer {layer_id!r}; known: {', '.join(LAYER_IDS)}")


def spec(layer_id: str) -> LayerSpec:
    """The :class:`LayerSpec` of a layer id."""
    _check(layer_id)
    return layer_specs()[layer_id]


def load_layer(layer_id: str, corridor_half_width_m: float = build.DEFAULT_CORRIDOR_HALF_WIDTH_M) -> gpd.GeoDataFrame:
    """Load one plan layer as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    layer_id : str
        One of :data:`LAYER_IDS`.
    corridor_half_width_m : float, default 5000
        Half width of the axis corridors in metres (used by ``axis_corridors`` only).
    """
    _check(layer_id)
    if layer_id == "axis_corridors":
        return build.axis_corridors(corridor_half_width_m)
    return _LOADERS[layer_id]()


def load_layers(
    layer_ids: Iterable[str] | None = None,
    corridor_half_width_m: float = build.DEFAULT_CORRIDOR_HALF_WIDTH_M,
) -> dict[str, gpd.GeoDataFrame]:
    """Load several layers (all by default), keyed by id, in registry order."""
    ids = list(LAYER_IDS if layer_ids is None else layer_ids)
    for layer_id in ids:
        _check(layer_id)
    return {i: load_layer(i, corridor_half_width_m) for i in LAYER_IDS if i in ids}
