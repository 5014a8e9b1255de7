"""The 概况 tab's class table: ranking bands from the shares, firms per class, policy use."""

from __future__ import annotations

from itertools import pairwise

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analysis.land_yield.report import class_overview

FIRMS = pd.DataFrame({"class": ["A", "B", "B", "C", "D", "T", ""]})


def _bands(shares: dict[str, float]) -> list[str]:
    return class_overview(FIRMS, shares, "en")["ranking band (approx.)"].tolist()


def test_uneven_shares_give_bands_rounded_alike_at_both_ends():
    assert _bands({"A": 0.123456, "B": 0.4, "C": 0.426544, "D": 0.05}) == [
        "0–12.35 %", "12.35–52.35 %", "52.35–95 %", "95–100 %", "—",
    ]  # fmt: skip


def test_a_class_with_no_share_has_no_band():
    assert _bands({"A": 0.2, "B": 0.0, "C": 0.75, "D": 0.05}) == ["0–20 %", "—", "20–95 %", "95–100 %", "—"]


def test_counts_and_policy_follow_the_language():
    zh = class_overview(FIRMS, {"A": 0.2, "B": 0.4, "C": 0.35, "D": 0.05}, "zh")
    assert zh.columns.tolist() == ["类别", "名称", "组内名次区间（约）", "企业数", "政策导向"]
    assert zh["企业数"].tolist() == [1, 2, 1, 1, 1]  # the firm out of scope ("") is in no class
    assert zh.loc[zh["类别"] == "D", "政策导向"].item().startswith("严格限制")


@given(st.lists(st.integers(1, 1000), min_size=4, max_size=4))
def test_the_bands_tile_the_ranking_from_0_to_100(weights):
    shares = {c: w / sum(weights) for c, w in zip("ABCD", weights, strict=True)}
    bands = [b.removesuffix(" %").split("–") for b in _bands(shares)[:4]]
    assert bands[0][0] == "0" and bands[-1][1] == "100"
    assert all(a[1] == b[0] for a, b in pairwise(bands))  # each begins where the last ended
