"""The 公示与异议 tab (issue 13, 5): notice downloads, and an objection recorded on a saved run changes every output."""

from __future__ import annotations

import base64
import json
import re
import zlib

import pytest

from tests.views.tabs import open_tab


def _popups(html: str) -> dict:
    """The firm layer's popup columns as the browser inflates them, with each point's class index."""
    packed = re.search(r'"packed":"([^"]+)"', html).group(1)
    info = json.loads(zlib.decompress(base64.b64decode(packed)).decode("utf-8"))
    cat = re.search(r'"cat":"([^"]+)"', html).group(1)
    return {**info, "cat": list(base64.b64decode(cat))}


def _record(at, code: str, claim: str, after: str, reason: str) -> None:
    """Fill the register's form with a change of class and submit it."""
    at.text_input(key="ly_obj_code").set_value(code)
    at.text_area(key="ly_obj_claim").set_value(claim)
    at.radio(key="ly_obj_decision_zh").set_value("changed")
    at.selectbox(key="ly_obj_after").set_value(after)
    at.text_area(key="ly_obj_reason").set_value(reason)
    at.button(key="ly_obj_submit").click().run()


@pytest.fixture
def app(workspace_app):
    return workspace_app.switch_page("views/land_yield_page.py").run()


def test_an_objection_is_recorded_audited_and_changes_the_class_shown(app):
    from views import state

    at = open_tab(app, "公示与异议")
    assert any("请先在“保存到工作空间”页签保存本次评价" in i.value for i in at.info)  # the register needs a saved run
    assert {b.label for b in at.get("download_button")} >= {"公示名单 XLSX", "公示名单 DOCX"}
    at = open_tab(at, "保存到工作空间")
    at.button[-1].click().run()  # the save form's button
    assert any("已保存" in s.value for s in at.success), [s.value for s in at.success]
    at = open_tab(at, "公示与异议")
    picker = at.selectbox(key="ly_objection_pick_zh")
    picker.select_index(1).run()
    assert not at.exception
    firms = state.workspace().evaluation_firms(int(state.workspace().evaluations()["fid"].iloc[0]))
    firm = firms[firms["class"] == "D"].iloc[0]
    _record(at, firm["credit_code"], "用地面积含代征道路", "C", "扣除代征道路面积后复核")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("已登记" in s.value for s in at.success)
    register = at.dataframe[-1].value
    assert register["复核后类别"].tolist() == ["C"] and register["决定"].tolist() == ["调整"]
    log = state.workspace().audit_log()
    assert log["action"].iloc[0] == "record_objection" and "D→C" in log["detail"].iloc[0]
    at = open_tab(at, "评价结果")
    at.text_input(key="ly_search").set_value(firm["credit_code"]).run()
    row = next(d.value for d in at.dataframe if "类别" in d.value.columns).iloc[0]  # the firm found comes first
    assert (row["类别"], row["评价类别（异议复核前）"]) == ("C", "D") and "调整为 C 类" in row["异议复核"]
    popups = _popups(at.get("iframe")[0].proto.srcdoc)  # the map too: the review in the firm's popup, class C
    at_firm = popups["labels"].index(firm["name"])
    assert "异议复核" in popups["columns"] and "经异议复核由 D 类调整为 C 类：扣除代征道路面积后复核" in str(
        popups["values"]
    )
    assert popups["cat"][at_firm] == "ABCDT".index("C")
    at = open_tab(at, "公示与异议")
    _record(at, firm["credit_code"], "再议", "B", "x")
    assert len(at.dataframe[-1].value) == 2  # a second decision is a new entry; the first stays on record
