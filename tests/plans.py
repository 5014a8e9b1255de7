"""Plans for tests: the real one (from the catalogue) with the default site parameters, and a toy one.

The toy plan has three clusters on two axes and one bay-side area — enough to exercise every
plan-fit level, the chemical rule and synonyms without the catalogue.
"""

from __future__ import annotations

from analysis.siting.config import SitingConfig, load_siting_config
from layers.plan import Axis, BayArea, Cluster, Directive, Industry, Plan, Synonym, Term, load_plan

PLAN: Plan = load_plan()
CONFIG: SitingConfig = load_siting_config(None, PLAN)


def toy_plan() -> Plan:
    """Three clusters (cars, chemicals, food), two axes, one bay-side area, a synonym."""
    return Plan(
        industries=(
            Industry("cars", "汽车", "Cars", subsectors=("汽车零部件",)),
            Industry("chem", "化学品", "Chemicals", chemical=True),
            Industry("food", "食品", "Food"),
        ),
        axes=(
            Axis("north", "北轴", "North axis", industries=("汽车",), guided=("食品",)),
            Axis("south", "南轴", "South axis", industries=("化学品",)),
        ),
        bay_areas=(BayArea("bay", "湾区", "Bay area", industries=("食品",), role="食品基地", role_en="food base"),),
        clusters=(
            Cluster("c_cars", "汽车集聚区", "Car cluster", ("汽车",), "north"),
            Cluster("c_chem", "化学品集聚区", "Chemical cluster", ("化学品",), "south", chemical=True),
            Cluster("c_food", "食品集聚区", "Food cluster", ("食品",), "", plan_named=False),
        ),
        directives=(
            Directive("conc_cars", "concentrate", ("汽车",), "四(二)", "汽车向汽车集聚区集聚", clusters=("c_cars",)),
            Directive(
                "chem_rule",
                "restrict",
                ("化学品",),
                "三(二)2",
                "化学品进区入园",
                clusters=("c_chem",),
                rule="化学品项目须进入化学品集聚区",
                rule_en="chemical projects must be in the chemical cluster",
            ),
        ),
        extra_terms=(Term("新能源车辆", "cars"),),
        synonyms=(Synonym("车", "汽车", "日常说法", "everyday word"),),
    )


def zh(findings) -> list[str]:
    """Findings rendered in Chinese (what the UI shows in zh mode)."""
    from i18n.render import render_all

    return render_all(findings, "zh")


def en(findings) -> list[str]:
    """Findings rendered in English."""
    from i18n.render import render_all

    return render_all(findings, "en")
