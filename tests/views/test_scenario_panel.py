"""Scenarios on the 选址分析 page (issue 14, 4): save named parameters, compare rankings side by side."""

from __future__ import annotations

import pytest

from analysis.siting.scenarios import load_scenario
from tests.plans import PLAN


@pytest.fixture
def page(workspace_app):
    return workspace_app.switch_page("views/siting_page.py").run()


def _save(at, name: str, corridor_km: float = 5.0, exclusion: bool = True) -> None:
    at.text_input(key="scn_name").input(name)
    at.number_input(key="scn_corridor").set_value(corridor_km)
    at.checkbox(key="scn_exclusion").set_value(exclusion)
    next(b for b in at.button if b.label == "保存方案").click().run()
    assert not at.exception


def test_saved_scenarios_are_compared_with_the_current_parameters_and_changes_marked(page):
    at = page
    assert any("还没有方案" in c.value for c in at.caption)
    _save(at, "宽廊道", corridor_km=20.0)
    # weights changed on the page, then saved as a second scenario: plan fit no longer counts
    at.number_input(key="site_w_plan_fit").set_value(0.0)
    next(b for b in at.button if b.label == "应用参数并重新评价").click().run()
    _save(at, "不计规划符合度")
    from views import state

    stored = state.workspace().scenarios()
    assert stored["name"].tolist() == ["不计规划符合度", "宽廊道"]
    assert load_scenario(stored["scenario_toml"].iloc[1].encode(), PLAN).corridor_half_width_m == 20_000.0
    assert load_scenario(stored["scenario_toml"].iloc[0].encode(), PLAN).config.weights["plan_fit"] == 0.0
    at.multiselect(key="scn_chosen").set_value(["宽廊道", "不计规划符合度"]).run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "宽廊道 · 排名" in d.value.columns)
    assert list(table.columns)[:3] == ["名称", "当前参数 · 排名", "当前参数 · 得分"]
    # the page's current parameters are now those without plan fit: the wide corridor scenario moves ranks
    assert table["宽廊道 · 排名"].str.contains("↑|↓").any()
    assert table["不计规划符合度 · 排名"].str.endswith("(=)").all()  # the same parameters as the base
    assert any(c.value.startswith("与当前参数排名的一致程度") for c in at.caption)


def test_a_bad_scenario_name_is_refused_with_a_message(page):
    at = page
    _save(at, "   ")
    assert any("方案名称" in e.value for e in at.error)
