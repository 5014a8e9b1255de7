"""Plan-fit rules on a toy three-cluster plan: analysis reads only the plan it is given."""

from __future__ import annotations

import pytest

from analysis.siting.plan_fit import chemical_rule, cluster_fit, match, project_notes, zone_fit
from analysis.siting.project import make_project
from layers.plan import UnknownIndustryError
from tests.plans import en, toy_plan, zh

TOY = toy_plan()


def _cluster(project, cluster_id, bay=None):
    c = TOY.cluster(cluster_id)
    return cluster_fit(TOY, project, c.id, c.name, c.industries, c.axis, bay, c.plan_named)


def test_a_synonym_is_asked_as_the_plan_term_and_leads_in_its_cluster():
    project = make_project(TOY, "车", 100)
    assert (project.term, project.industry, project.given) == ("汽车", "cars", "车")
    fit = _cluster(project, "c_cars")
    assert fit.level == "leading"
    assert zh(fit.findings)[0] == "【规划四(二)】“汽车向汽车集聚区集聚”"  # the directive's own words
    assert any("北轴" in r for r in zh(fit.findings))  # and the axis that concentrates it
    assert en(fit.findings)[1] == "[Plan 四(二)] the North axis concentrates this industry"


def test_a_subsector_is_related_to_its_whole_industry_and_exact_when_the_plan_names_the_whole():
    parts = make_project(TOY, "汽车零部件", 100)
    assert match(TOY, parts, ["汽车"]) == "exact"
    assert match(TOY, parts, ["食品"]) is None


def test_outside_clusters_the_axis_and_bay_area_decide():
    food = make_project(TOY, "食品", 100)
    assert zone_fit(TOY, food, ["north"], None).level == "guided"  # 合理引导 on the north axis
    assert zone_fit(TOY, food, ["north"], "bay").level == "bay_role"  # the bay-side area's role wins
    assert zone_fit(TOY, food, ["south"], None).level == "none"
    inferred = _cluster(food, "c_food")
    assert inferred.level == "leading" and any("推测" in r for r in zh(inferred.findings))


def test_the_chemical_rule_comes_from_the_plan_given():
    chem = make_project(TOY, "化学品", 10)
    assert chem.chemical
    rule = chemical_rule(TOY, chem, in_chemical_cluster=False)
    assert rule is not None and rule.failed and rule.section == "三(二)2"
    assert (
        zh([rule]) == ["【不符合 · 规划三(二)2】化学品项目须进入化学品集聚区"] and "chemical cluster" in en([rule])[0]
    )
    assert chemical_rule(TOY, chem, in_chemical_cluster=True) is None
    assert chemical_rule(TOY, make_project(TOY, "食品", 10), in_chemical_cluster=False) is None
    assert project_notes(TOY, chem) == []


def test_words_of_the_real_plan_are_unknown_to_the_toy_plan():
    with pytest.raises(UnknownIndustryError):
        make_project(TOY, "集成电路", 10)
