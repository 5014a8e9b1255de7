"""Best contiguous regions of a suitability raster (issue 14, 5)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

from analysis.siting.regions import RegionError, find_regions
from analysis.surface import Surface
from geo.crs import METRIC, to_metric
from tests.conftest import ROOT

CELL_MU = 15.0  # a 100 m cell is 1 ha = 15 亩


def surface(values: np.ndarray) -> Surface:
    return Surface(values.astype(np.float32), Affine(100, 0, 500000, 0, -100, 4000000), METRIC, "suitability", "分",
                   100.0, 0.0)  # fmt: skip


def cells_of(found, values) -> list[np.ndarray]:
    """Each region's cells back on the grid (rasterised from its polygon in EPSG:4549)."""
    from rasterio.features import geometry_mask

    out = []
    for geometry in to_metric(found.regions).geometry:
        out.append(~geometry_mask([geometry], out_shape=values.shape, transform=surface(values).transform))
    return out


def test_regions_keep_to_allowed_land_reach_the_size_and_keep_apart():
    values = np.full((30, 30), np.nan)
    values[2:12, 2:12] = 50.0
    values[5:8, 5:8] = 90.0  # the best spot
    values[20:28, 18:28] = 70.0
    found = find_regions(surface(values), 8 * CELL_MU, k=2, spacing_m=300)
    assert len(found.regions) == 2 and found.reason is None
    first, second = cells_of(found, values)
    assert first.sum() == 8 and values[first].min() == 90.0  # the best spot, all of it from the 90-point cells
    assert found.regions["mean_score"].tolist() == [90.0, 70.0]  # then the best 8 cells elsewhere
    assert ndimage.label(first)[1] == 1 and ndimage.label(second)[1] == 1  # each region one piece
    gap = ndimage.distance_transform_edt(~first)[second].min() * 100
    assert gap > 300


@settings(deadline=None, max_examples=30)
@given(st.integers(0, 2**31 - 1), st.integers(2, 40), st.integers(1, 4), st.sampled_from([0.0, 200.0, 1000.0]))
def test_every_region_is_valid_contiguous_big_enough_and_apart(seed, need, k, spacing):
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 100, (25, 25))
    values[rng.random((25, 25)) < 0.3] = np.nan  # not allowed
    found = find_regions(surface(values), need * CELL_MU, k, spacing)
    regions = cells_of(found, values)
    assert len(regions) <= k and (len(regions) == k or found.reason is not None)
    for r in regions:
        assert r.sum() == need and np.isfinite(values[r]).all() and ndimage.label(r)[1] == 1
    for a in range(len(regions)):
        for b in range(a + 1, len(regions)):
            assert not (regions[a] & regions[b]).any()
            if spacing:
                assert ndimage.distance_transform_edt(~regions[a])[regions[b]].min() * 100 > spacing
    means = found.regions["mean_score"].tolist()
    assert means == [round(float(values[r].mean()), 1) for r in regions]


def test_no_area_large_enough_is_an_answer_not_an_error():
    values = np.full((10, 10), np.nan)
    values[0:2, 0:2] = 80.0
    found = find_regions(surface(values), 10 * CELL_MU)
    assert found.regions.empty and "没有连片、合规且达 150 亩的区域" in found.reason[0]


@pytest.mark.parametrize(("mu", "k", "spacing"), [(5.0, 1, 0.0), (float("nan"), 1, 0.0), (2e6, 1, 0.0), (100.0, 0, 0.0),
                                                  (100.0, 51, 0.0), (100.0, 1, -5.0)])  # fmt: skip
def test_requests_that_cannot_be_answered_are_refused(mu, k, spacing):
    with pytest.raises(RegionError):
        find_regions(surface(np.ones((5, 5)) * 50), mu, k, spacing)


def test_cli_regions():
    proc = subprocess.run([sys.executable, "-m", "analysis.siting", "--industry", "食品", "--land-mu", "300",
                           "--regions", "2", "--json"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    regions = json.loads(proc.stdout)["regions"]
    assert len(regions) == 2 and all(r["area_mu"] >= 300 for r in regions)
    # a chemical project is compliant only in the chemical parks: no 500,000 亩 piece there
    none = subprocess.run([sys.executable, "-m", "analysis.siting", "--industry", "高端化工", "--land-mu", "300",
                           "--regions", "1", "--region-mu", "500000", "--json"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert none.returncode == 0 and json.loads(none.stdout)["regions"] == []
    assert "没有连片" in json.loads(none.stdout)["regions_note"]
