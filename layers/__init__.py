"""The plan as data: catalogue files, layer registry and loaders (all layers in EPSG:4326).

The registry's names are loaded on first use (PEP 562), so that ``layers.plan`` — the immutable
plan analysis receives — can be imported without reading the catalogue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layers.registry import LAYER_IDS, PLAN_LAYER_IDS, UnknownLayerError, load_layer, load_layers, spec

__all__ = ["LAYER_IDS", "PLAN_LAYER_IDS", "UnknownLayerError", "load_layer", "load_layers", "spec"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from layers import registry

        return getattr(registry, name)
    raise AttributeError(f"module 'layers' has no attribute {name!r}")
