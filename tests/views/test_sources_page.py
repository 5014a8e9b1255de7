"""Several departments' tables on the 亩产效益 page (issue 13, 2): joined, reported, headers mapped."""

from __future__ import annotations

import io

import pandas as pd
from streamlit.testing.v1 import AppTest

from files.bundle import is_bundle
from tests.conftest import ROOT
from tests.views.tabs import open_tab
from views.sources_panel import map_widget_key

SAMPLE = ROOT / "data" / "sample_enterprises.csv"
FRAME = pd.read_csv(SAMPLE, skiprows=1, dtype=str, keep_default_na=False).head(60)
TAX = ["统一社会信用代码", "企业名称", "区市", "规模", "行业代码", "投产年份", "经度", "纬度", "税收(万元)", "数据性质"]
STATS = ["统一社会信用代码", "企业名称", "营业收入(万元)", "工业增加值(万元)", "研发经费(万元)", "从业人员(人)",
         "综合能耗(吨标准煤)", "主要污染物排放量(吨)", "用地面积(亩)"]  # fmt: skip


def _csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def _page(files: tuple[tuple[str, str, bytes], ...]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.session_state["ly_sources_kept"] = files  # as the uploader's on_change keeps two uploads
    at.switch_page("views/land_yield_page.py").run()
    return at


def test_two_departments_tables_are_joined_and_the_join_is_reported():
    stats = FRAME[STATS].copy()
    stats.loc[0, "企业名称"] = "另一个名称"  # one code, two names
    at = _page((("税务", "税务.csv", _csv(FRAME[TAX])), ("统计", "统计.csv", _csv(stats.iloc[::-1]))))
    assert not at.exception
    assert is_bundle(at.session_state["ly_key"][0])
    assert any("输入 120 行" in c.value and "并入同一企业 60" in c.value for c in at.caption)
    at = open_tab(at, "数据合并")
    assert any("2 个来源共 120 行合并为 60 家企业" in c.value for c in at.caption)
    sources, conflicts = at.dataframe[0].value, at.dataframe[1].value
    assert list(sources["来源"]) == ["税务", "统计"]
    assert conflicts.iloc[0]["该来源的值"] == "另一个名称" and conflicts.iloc[0]["采用来源"] == "税务"
    at.selectbox(key="ly_prefer_name").set_value("统计").run()  # the statistics office's names win
    assert at.dataframe[1].value.iloc[0]["采用来源"] == "统计"
    at.switch_page("views/map_page.py").run()
    at.switch_page("views/land_yield_page.py").run()  # kept across pages, with the preferred source
    at = open_tab(at, "数据合并")
    assert not at.exception and at.dataframe[1].value.iloc[0]["采用来源"] == "统计"


def test_an_unknown_header_is_mapped_in_the_page():
    tax = FRAME[TAX].rename(columns={"税收(万元)": "纳税总额"})
    at = _page((("税务", "税务.csv", _csv(tax)), ("统计", "统计.csv", _csv(FRAME[STATS]))))
    assert any("缺少必填列" in e.value for e in at.error)
    assert "表头映射（未识别的列 1 个，已映射 0 个）" in [e.label for e in at.sidebar.expander]
    at.sidebar.selectbox(key=map_widget_key("纳税总额", "zh")).set_value("tax").run()
    assert not at.error and not at.exception
    assert any("输入 120 行" in c.value for c in at.caption)
    assert at.session_state["ly_header_map"] == {"纳税总额": "tax"}
