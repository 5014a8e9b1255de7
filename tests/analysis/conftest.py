"""Fixtures shared by the tests of site selection: the plan layers and a context over them (module-scoped)."""

from __future__ import annotations

import pytest

from analysis.siting.context import build_context
from layers import load_layers
from tests.plans import PLAN


@pytest.fixture(scope="module")
def layers():
    """Every registry layer, roads included (EPSG:4326)."""
    return load_layers()


@pytest.fixture(scope="module")
def ctx(layers):
    """The siting context of the real plan with the bundled sample plots and road network."""
    return build_context(layers, PLAN)
