"""The plan as one immutable object (layers/plan.py), on a toy plan and on the catalogue's."""

from __future__ import annotations

import dataclasses

import pytest

from layers.plan import Cluster, Directive, Industry, Plan, Synonym, Term, UnknownIndustryError
from tests.plans import PLAN, toy_plan


def test_the_toy_plan_reads_terms_synonyms_and_english_names():
    plan = toy_plan()
    assert plan.resolve_industry("汽车") == plan.resolve_industry("cars") == plan.resolve_industry("Cars") == "cars"
    assert plan.resolve_industry("车") == "cars" and plan.plan_term("车") == "汽车"  # the synonym
    assert plan.resolve_industry("新能源车辆") == "cars"  # an extra term
    assert plan.term("汽车零部件").kind == "subsector"
    assert plan.restricted_terms() == {"化学品"}
    assert [c.id for c in plan.clusters] == ["c_cars", "c_chem", "c_food"]
    assert plan.cluster("c_food").plan_named is False and plan.cluster("nowhere") is None


def test_unknown_words_get_close_industry_words_only():
    plan = toy_plan()
    with pytest.raises(UnknownIndustryError) as err:
        plan.resolve_industry("汽车城")
    assert "汽车" in err.value.suggestions
    assert all(plan.term(s) is not None or s == "车" for s in err.value.suggestions)


def test_the_plan_cannot_be_changed():
    plan = toy_plan()
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.clusters = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        plan._terms["x"] = Term("x", "cars")  # type: ignore[index]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"extra_terms": (Term("船", "ships"),)}, "unknown industry 'ships'"),
        ({"synonyms": (Synonym("车", "卡车"),)}, "unknown term '卡车'"),
        ({"synonyms": (Synonym("汽车", "汽车"),)}, "already a plan term"),
        ({"clusters": (Cluster("x", "X", "X", axis="nowhere"),)}, "unknown axis 'nowhere'"),
        (
            {"directives": (Directive("d", "concentrate", ("汽车",), "四", "…", clusters=("gone",)),)},
            "unknown clusters",
        ),
        (
            {"industries": (Industry("cars", "汽车", "Cars"), Industry("cars", "车辆", "Vehicles"))},
            "duplicate id 'cars'",
        ),
    ],
)
def test_a_plan_that_refers_to_what_it_does_not_have_is_refused(change, message):
    fields = {f.name: getattr(toy_plan(), f.name) for f in dataclasses.fields(Plan) if f.init}
    with pytest.raises(ValueError, match=message):
        Plan(**(fields | change))


def test_the_catalogue_plan_has_what_the_plan_text_says():
    assert len(PLAN.clusters) == 14 and sum(c.plan_named for c in PLAN.clusters) == 10
    assert len(PLAN.axes) == 3 and len(PLAN.bay_areas) == 3
    assert {c.id for c in PLAN.clusters if c.chemical} == {
        d for r in PLAN.directives_of("restrict") for d in r.clusters
    }
    assert PLAN.resolve_industry("化工") == PLAN.resolve_industry("高端化工")
    assert PLAN.resolve_industry("芯片") == PLAN.resolve_industry("半导体") == PLAN.resolve_industry("集成电路")
