"""The 存量企业 tab (issue 13, 7 and 8): relocation and low-efficiency candidates, per district, on the map."""

from __future__ import annotations

import pytest

from tests.views.tabs import open_tab


@pytest.fixture
def app(workspace_app):
    return open_tab(workspace_app.switch_page("views/land_yield_page.py").run(), "存量企业")


def _frame(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_relocation_candidates_are_listed_counted_per_district_and_marked_on_the_map(app):
    at = app
    assert not at.exception
    assert any(s.value == "搬迁入园候选（对照规划）" for s in at.subheader)
    firms = _frame(at, "优先级")
    required = firms[firms["优先级"].str.startswith("必须入园")]
    assert len(required) and set(required["规划产业"]) == {"高端化工"}  # only chemical firms must move in
    assert (required["所在集聚区"] == "—").all() or not required["所在集聚区"].str.contains("化工").any()
    per_district = _frame(at, "必须入园·企业数")
    total = per_district[per_district["区市"] == "合计"].iloc[0]
    assert total["企业数合计"] == len(firms) and total["必须入园·企业数"] == len(required)
    at.toggle(key="ly_stock_relocation_map_zh").set_value(True).run()
    assert not at.exception and at.session_state["ly_mark"] == "relocation"
    html = at.get("iframe")[0].proto.srcdoc
    assert f"搬迁入园候选（虚线圈）：{len(firms)} 家" in html and '"dashArray": "3 3"' in html


def test_low_efficiency_thresholds_change_the_list(app):
    at = app
    low = _frame(at, "符合条件")
    assert set(low["符合条件"]) == {"亩均税收偏低"}  # no earlier year compared: D in a row is not checked, and said
    assert any("无法判断连续 D 类年数" in i.value for i in at.info)
    next(n for n in at.number_input if n.label == "亩均税收低于中位数的 %").set_value(20)
    next(b for b in at.button if b.label == "应用阈值").click().run()
    fewer = _frame(at, "符合条件")
    assert 0 < len(fewer) < len(low)
    at.sidebar.radio(key="lang").set_value("en").run()
    at = open_tab(at, "Existing firms")
    assert not at.exception and "criteria" in _frame(at, "criteria").columns
