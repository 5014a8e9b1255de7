"""Finding places by name: every district and cluster, the axes' towns, ranked exact > prefix > contains."""

from __future__ import annotations

import pytest

from layers import load_layers
from layers.places import find_places, gazetteer


@pytest.fixture(scope="module")
def places():
    return gazetteer(load_layers())


def test_every_district_cluster_and_node_is_a_place(places):
    layers = load_layers()
    for kind in ("districts", "clusters", "bay_areas", "transport_nodes"):
        names = {p.name for p in places if p.kind == kind}
        assert names == set(layers[kind]["name"]), kind
    towns = [p for p in places if p.kind == "town"]
    assert towns and all(p.geometry.geom_type == "Point" and p.source for p in towns)
    assert len({p.name for p in towns}) == len(towns)  # a town on two axes is listed once


def test_exact_names_come_before_prefixes_and_prefixes_before_substrings(places):
    found = [p.name for p in find_places("城阳", places)]
    assert found[0] == "城阳" and found[1] == "城阳区"  # the town, then the district
    contains = [p.name for p in find_places("汽车", places)]
    assert contains and all("汽车" in n for n in contains)


def test_english_names_match_case_insensitively_and_full_width_text_is_normalised(places):
    assert find_places("JIAOZHOU", places)[0].name == "胶州市"
    assert find_places("ｊｉａｏｚｈｏｕ", places)[0].name == "胶州市"


@pytest.mark.parametrize("query", ["", "   ", "不存在的地方"])
def test_nothing_is_found_for_an_empty_or_unknown_query(places, query):
    assert find_places(query, places) == []
