"""Objections and their decisions (issue 13, 5): the register checked, applied to every output, class by class."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.land_yield.config import CLASS_INFO, default_config
from analysis.land_yield.objections import (
    Objection,
    ObjectionError,
    apply_objections,
    make_objection,
    read_register,
    register_table,
)
from analysis.land_yield.pipeline import apply_objections_to, apply_policy_to, evaluate_table, result_sheets
from analysis.land_yield.policy import load_policy
from analysis.land_yield.report import results_table
from files.enterprises import read_enterprises
from tests.conftest import ROOT

CODES = [f"91370200MA3C{i:05d}X" for i in range(6)]


def toy() -> pd.DataFrame:
    return pd.DataFrame({"credit_code": CODES, "name": [f"企业{i}" for i in range(6)],
                         "class": ["A", "B", "C", "D", "T", ""], "class_name": [""] * 6, "policy": [""] * 6,
                         "status": ["rated"] * 4 + ["new", "excluded_scale"]})  # fmt: skip


@pytest.mark.parametrize(("args", "message"), [
    (("91370200MA3C99999X", "不服", "kept", "", "理由"), "没有统一社会信用代码"),
    ((CODES[4], "不服", "kept", "", "理由"), "未参与分类"),
    ((CODES[5], "不服", "kept", "", "理由"), "未参与分类"),
    ((CODES[2], "不服", "changed", "C", "理由"), "须不同于原类别 C"),
    ((CODES[2], "不服", "changed", "", "理由"), "应为 A、B、C、D"),
    ((CODES[2], "不服", "changed", "E", "理由"), "应为 A、B、C、D"),
    ((CODES[2], "不服", "changed", "B", "  "), "复核理由"),
    ((CODES[2], " ", "pending", "", ""), "异议内容"),
    ((CODES[2], "不服", "撤销", "", "理由"), "决定“撤销”不可识别"),
    (("", "不服", "kept", "", "理由"), "请填写统一社会信用代码"),
])  # fmt: skip
def test_an_objection_that_cannot_be_recorded_says_why(args, message):
    with pytest.raises(ObjectionError, match=message):
        make_objection(toy(), *args)


def test_a_pending_objection_needs_no_reason_and_keeps_the_class():
    o = make_objection(toy(), CODES[3], "数据有误", "待复核")
    out, warnings = apply_objections(toy(), [o])
    assert (o.decision, o.class_after, warnings) == ("pending", "", [])
    assert out.loc[3, "class"] == "D" and "待复核" in out.loc[3, "objection_zh"]


def test_a_changed_class_replaces_class_name_and_policy_and_the_last_entry_is_in_force():
    first = make_objection(toy(), CODES[3], "税收漏计", "pending")
    second = make_objection(toy(), CODES[3], "税收漏计", "changed", "C", "补录税收后复核")
    out, _ = apply_objections(toy(), [first, second])
    row = out.loc[3]
    assert (row["class"], row["class_evaluated"], row["objection"]) == ("C", "D", "changed")
    assert row["class_name"] == CLASS_INFO["C"]["zh"] and row["policy"] == CLASS_INFO["C"]["policy"]
    assert row["objection_zh"] == "经异议复核由 D 类调整为 C 类：补录税收后复核"
    assert (out.drop(index=3)["class"] == toy().drop(index=3)["class"]).all()


def test_an_entry_made_against_another_class_is_not_applied_and_said():
    o = Objection(CODES[1], "企业1", "C", "changed", "A", "不服", "复核")  # the firm is rated B here
    gone = Objection("91370200MA3C77777X", "别家", "D", "kept", "D", "不服", "复核")
    out, warnings = apply_objections(toy(), [o, gone])
    assert out["class"].tolist() == toy()["class"].tolist()
    assert len(warnings) == 2 and "针对 C 类" in warnings[0][0] and "不在本次评价结果中" in warnings[1][0]


def test_objections_apply_again_to_a_result_already_reviewed():
    o = make_objection(toy(), CODES[2], "不服", "changed", "B", "复核")
    once, _ = apply_objections(toy(), [o])
    again, warnings = apply_objections(once, [o])  # class_evaluated is the base, not the class after review
    assert warnings == [] and again["class"].tolist() == once["class"].tolist()
    undone, _ = apply_objections(once, [])
    assert undone["class"].tolist() == toy()["class"].tolist()


decision = st.tuples(st.integers(0, 5), st.sampled_from(["pending", "kept", "changed"]), st.sampled_from("ABCD"))


@given(st.lists(decision, max_size=12))
@settings(deadline=None)
def test_only_changed_decisions_in_force_move_a_class(entries):
    register = []
    for i, kind, after in entries:
        try:
            register.append(make_objection(toy(), CODES[i], "异议", kind, after, "理由"))
        except ObjectionError:
            continue
    out, warnings = apply_objections(toy(), register)
    assert warnings == []
    in_force = {o.credit_code: o for o in register}
    for code, before, now in zip(CODES, toy()["class"], out["class"], strict=True):
        o = in_force.get(code)
        assert now == (o.class_after if o is not None and o.decision == "changed" else before)
    assert out["class_evaluated"].tolist() == toy()["class"].tolist()


def test_the_register_round_trips_through_its_table_in_both_languages():
    register = [make_objection(toy(), CODES[0], "指标有误", "kept", "", "核实无误", "2026-03-02", "analyst1"),
                make_objection(toy(), CODES[3], "税收漏计", "调整", "B", "补录")]  # fmt: skip
    for lang in ("zh", "en"):
        back = read_register(register_table(register, lang), toy())
        assert [(o.credit_code, o.decision, o.class_before, o.class_after, o.reason) for o in back] == [
            (o.credit_code, o.decision, o.class_before, o.class_after, o.reason) for o in register]  # fmt: skip


def test_a_register_file_row_that_cannot_be_used_names_its_row():
    table = pd.DataFrame({"统一社会信用代码": [CODES[0], CODES[4]], "决定": ["维持", "维持"],
                          "异议内容": ["不服", "不服"], "复核理由": ["x", "x"]})  # fmt: skip
    with pytest.raises(ObjectionError, match="第 3 行"):
        read_register(table, toy())
    with pytest.raises(ObjectionError, match="缺少列：决定"):
        read_register(table.drop(columns="决定"), toy())


def test_the_class_after_review_drives_the_policy_and_is_marked_in_the_results():
    raw = read_enterprises(ROOT / "data" / "sample_enterprises.csv")
    ev = evaluate_table(raw, default_config())
    firm = ev.result[(ev.result["class"] == "D") & ev.result["power_kwh"].notna()].iloc[0]
    o = make_objection(ev.result, firm["credit_code"], "用地面积含代征道路", "changed", "C", "扣除后复核")
    reviewed = apply_policy_to(apply_objections_to(ev, [o]), load_policy())
    row = reviewed.result.loc[firm.name]
    assert row["class"] == "C" and pd.isna(row["diff_total"])  # the example policy charges D only
    plain = apply_policy_to(ev, load_policy()).result.loc[firm.name]
    assert plain["diff_total"] > 0
    table = results_table(reviewed.result, "zh").loc[firm.name]
    assert table["类别"] == "C" and table["评价类别（异议复核前）"] == "D" and "调整为 C 类" in table["异议复核"]
    sheets = result_sheets(reviewed, {}, "zh")
    assert sheets["异议登记"]["复核后类别"].tolist() == ["C"]
