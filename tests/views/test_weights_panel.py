"""AHP weights and the ranking's stability on the 选址分析 page (issue 14, 2 and 3)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from streamlit.testing.v1 import AppTest

from analysis.siting.config import load_siting_config
from tests.conftest import ROOT
from tests.plans import PLAN


@pytest.fixture
def page(tmp_path, monkeypatch):
    monkeypatch.setenv("QDP_WORKSPACE", str(tmp_path / "ws.gpkg"))
    from views import state

    state.workspace.clear()
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("views/siting_page.py").run()
    yield at
    state.workspace.clear()


def test_judgements_give_weights_that_the_ranking_then_uses(page):
    at = page
    assert not at.exception
    at.select_slider(key="site_ahp_plan_fit_axis_zh").set_value(Fraction(5)).run()
    at.select_slider(key="site_ahp_plan_fit_transport_zh").set_value(Fraction(5)).run()
    assert any(c.value.startswith("一致性比率 CR = ") for c in at.caption)
    at.button(key="site_ahp_apply").click().run()
    assert not at.exception
    weights = load_siting_config(at.session_state["site_config"].encode("utf-8"), PLAN).weights
    assert max(weights, key=weights.get) == "plan_fit" and sum(weights.values()) == pytest.approx(100.0)
    assert at.number_input(key="site_w_plan_fit").value == pytest.approx(weights["plan_fit"])


def test_inconsistent_judgements_are_warned_about(page):
    at = page
    at.select_slider(key="site_ahp_plan_fit_axis_zh").set_value(Fraction(9)).run()
    at.select_slider(key="site_ahp_axis_transport_zh").set_value(Fraction(9)).run()
    at.select_slider(key="site_ahp_plan_fit_transport_zh").set_value(Fraction(1, 9)).run()
    assert any("一致性不足" in w.value and "最不一致的判断" in w.value for w in at.warning)


def test_the_stability_of_the_ranking_is_shown(page):
    at = page
    assert any(c.value.startswith("1000 次抽样：集聚区排名 Kendall τ 平均") for c in at.caption)
    oat = next(d.value for d in at.dataframe if "Kendall τ" in d.value.columns)
    assert set(oat["调整"]) == {"+20%", "-20%"} and "规划符合度" in set(oat["因子"])
