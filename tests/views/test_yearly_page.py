"""Year on year and differentiated prices on the 亩产效益 page (issue 13, 3 and 4), from five sample years saved."""

from __future__ import annotations

import pytest

from tests.views.tabs import open_tab


@pytest.fixture
def app(workspace_app):
    return workspace_app


def test_five_sample_years_compare_trend_and_price(app):
    at = app
    at.switch_page("views/workspace_page.py").run()
    at.button(key="ws_sample_years").click().run()
    assert not at.exception and any("已保存 5 个年度" in s.value for s in at.success)
    at.switch_page("views/land_yield_page.py").run()
    at = open_tab(at, "历年对比")  # the bundled sample is evaluated for 2025: 2021–2024 are earlier years
    picker = at.selectbox(key="ly_previous_pick_zh")
    assert picker.options[1].startswith("2024 · 合成样例 2024")  # the latest earlier year first
    picker.select_index(1).run()
    assert not at.exception
    matrix = at.dataframe[0].value
    assert "新进入" in matrix.index and "已退出" in matrix.columns
    assert any("类别变化矩阵（2024 年 → 2025 年" in m.value for m in at.markdown)
    trends = at.dataframe[-1].value
    assert sorted(set(trends["年度"])) == [2021, 2022, 2023, 2024, 2025]
    at.radio(key="ly_years_by_zh").set_value("cluster").run()
    assert "产业集聚区" in at.dataframe[-1].value.columns and not at.exception
    at = open_tab(at, "评价结果")
    assert {"上年类别", "类别变化"} <= set(at.dataframe[0].value.columns)
    at = open_tab(at, "差别化政策")
    at.radio(key="ly_policy_mode_zh").set_value("example").run()
    assert any("内置" in w.value or "非官方" in w.value for w in at.warning)
    by_class = at.dataframe[0].value
    assert set(by_class["类别"]) <= {"A", "D"} and by_class["差别化合计(元)"].notna().all()
    at = open_tab(at, "评价结果")
    assert "差别化合计(元)" in at.dataframe[0].value.columns
    at.sidebar.radio(key="lang").set_value("en").run()
    at = open_tab(at, "Year on year")
    assert not at.exception  # the firms rated D in a row were listed through a Chinese-only path
    assert "new" in at.dataframe[0].value.index and "gone" in at.dataframe[0].value.columns


def test_sample_years_are_saved_with_their_d_streaks(app):
    from views import state

    app.switch_page("views/workspace_page.py").run()
    app.button(key="ws_sample_years").click().run()
    ws = state.workspace()
    runs = ws.yearly_runs()
    assert runs["evaluation_year"].tolist() == [2021, 2022, 2023, 2024, 2025]
    last = ws.evaluation_firms(int(runs["fid"].iloc[-1]))
    assert last["consecutive_d"].max() >= 3  # chained through five saved years, not capped at 2
    assert (last.loc[last["class"] == "D", "consecutive_d"] >= 1).all()
