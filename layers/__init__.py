"""The plan as data: catalogue files, layer registry and loaders (all layers in EPSG:4326)."""

from layers.registry import LAYER_IDS, PLAN_LAYER_IDS, UnknownLayerError, load_layer, load_layers, spec

__all__ = ["LAYER_IDS", "PLAN_LAYER_IDS", "UnknownLayerError", "load_layer", "load_layers", "spec"]
