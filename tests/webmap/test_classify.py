"""Choropleth class breaks agree with PySAL mapclassify, the reference implementation."""

from __future__ import annotations

import mapclassify
import numpy as np
import pytest

from webmap.classify import MAX_JENKS_VALUES, class_breaks, classify

REFERENCE = {"quantiles": mapclassify.Quantiles, "natural_breaks": mapclassify.FisherJenks,
             "equal_interval": mapclassify.EqualInterval}  # fmt: skip


@pytest.mark.parametrize("scheme", list(REFERENCE))
@pytest.mark.parametrize(("n", "k"), [(9, 3), (60, 5), (400, 5), (400, 7)])
def test_breaks_and_classes_match_mapclassify(scheme, n, k):
    y = np.round(np.random.default_rng(n + k).lognormal(3, 1, n), 2)
    ref = REFERENCE[scheme](y, k=k)
    bins = class_breaks(y, scheme, k)
    np.testing.assert_allclose(bins, ref.bins)
    np.testing.assert_array_equal(classify(y, bins), ref.yb)


def test_natural_breaks_separate_obvious_groups():
    y = np.array([1, 2, 3, 50, 51, 52, 1000, 1001], dtype=float)
    assert class_breaks(y, "natural_breaks", 3).tolist() == [3, 52, 1001]


def test_many_values_are_sampled_for_natural_breaks():
    y = np.concatenate([np.full(3000, 10.0), np.full(3000, 500.0)]) + np.arange(6000) * 1e-3
    bins = class_breaks(y, "natural_breaks", 2)
    assert y.size > MAX_JENKS_VALUES and bins[0] < 20 and bins[-1] == y.max()


def test_fewer_distinct_values_than_classes_missing_values_and_bad_input():
    assert class_breaks(np.array([5.0, 5.0, 7.0]), "quantiles", 5).tolist() == [5.0, 7.0]
    bins = class_breaks(np.array([1.0, 2.0, np.nan]), "equal_interval", 2)
    assert classify(np.array([np.nan, 1.0, 2.0]), bins).tolist() == [-1, 0, 1]
    with pytest.raises(ValueError, match="scheme"):
        class_breaks(np.array([1.0]), "jenks")
    with pytest.raises(ValueError, match="no finite"):
        class_breaks(np.array([np.nan]))
