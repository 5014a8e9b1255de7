"""Several departments' tables joined by 统一社会信用代码 (issue 13, 2): one firm, every row accounted for."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.land_yield.config import default_config
from analysis.land_yield.credit_code import check_char
from analysis.land_yield.pipeline import InputError, Source, evaluate_sources, evaluate_table, join_sheets
from analysis.land_yield.schema import SchemaError
from analysis.land_yield.sources import join_sources
from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "sample_enterprises.csv"
BASE = pd.read_csv(SAMPLE, skiprows=1, dtype=str, keep_default_na=False).head(80)
CONFIG = dataclasses.replace(default_config(), evaluation_year=2025)
TAX = ["统一社会信用代码", "企业名称", "区市", "规模", "行业代码", "投产年份", "经度", "纬度", "税收(万元)"]
STATS = ["统一社会信用代码", "企业名称", "营业收入(万元)", "工业增加值(万元)", "研发经费(万元)", "从业人员(人)"]
ENERGY = ["统一社会信用代码", "综合能耗(吨标准煤)", "主要污染物排放量(吨)"]
LAND = ["统一社会信用代码", "用地面积(亩)"]


def code(serial: int) -> str:
    body = f"91370200000{serial:06d}"
    return body + check_char(body)


def table(columns: list[str], frame: pd.DataFrame = BASE) -> pd.DataFrame:
    out = frame[columns].reset_index(drop=True)
    out.insert(0, "_row", range(2, 2 + len(out)))
    return out


def toy() -> dict[str, pd.DataFrame]:
    """Three firms in three departments' tables; firm 3 has two parcels."""
    tax = pd.DataFrame({"统一社会信用代码": [code(1), code(2), code(3)], "企业名称": ["甲", "乙", "丙"],
                        "区市": ["黄岛区"] * 3, "规模": ["规下"] * 3, "税收(万元)": ["100", "50", "30"]})  # fmt: skip
    energy = pd.DataFrame({"信用代码": [code(3).lower(), code(1)], "综合能耗(吨标准煤)": ["12", "8"]})
    land = pd.DataFrame({"统一社会信用代码": [code(1), code(3), code(2), f"{code(3)[:8]}-{code(3)[8:]}"],
                         "用地面积(平方米)": ["6666.7", "3333.35", "13333.4", "3333.35"]})  # fmt: skip
    return {"税务": tax, "能耗": energy, "自然资源": land}


def test_one_row_per_firm_with_parcels_added_and_codes_normalised():
    j = join_sources([Source(k, v) for k, v in toy().items()], 2025)
    t = j.table.set_index("统一社会信用代码")
    assert list(t.index) == [code(1), code(2), code(3)]
    assert t["用地面积(亩)"].round(2).tolist() == [10.0, 20.0, 10.0]  # m² → 亩; firm 3: two parcels
    assert t["综合能耗(吨标准煤)"].tolist()[0] == 8 and np.isnan(t["综合能耗(吨标准煤)"].iloc[1])
    assert (j.n_input, j.merged) == (9, 6)
    assert j.origin.loc[3].tolist() == [4, 2, 3]  # firm 3: tax row 4, energy row 2, land row 3 (first parcel)
    assert pd.isna(j.origin.loc[2, "能耗"])
    parcels = j.issues[(j.issues["row"] == 3) & (j.issues["column"] == "land_mu")]
    assert parcels["message_zh"].str.contains("多个地块之和（第 3、5 行）", regex=False).all()


def test_the_evaluation_accounts_for_every_row_of_every_source():
    ev = evaluate_sources([Source(k, v) for k, v in toy().items()], CONFIG)
    counts = ev.accounting()
    assert counts["input"] == 9 and counts["merged"] == 6
    assert counts["input"] == sum(v for k, v in counts.items() if k != "input")
    assert {"origin:税务", "origin:能耗", "origin:自然资源"} <= set(ev.result.columns)


def test_conflicting_values_are_listed_with_the_winner_and_the_winner_is_configurable():
    tables = toy()
    stats = pd.DataFrame({"统一社会信用代码": [code(1)], "企业名称": ["甲有限公司"], "税收(万元)": ["90"]})
    sources = [Source("税务", tables["税务"]), Source("统计", stats), Source("自然资源", tables["自然资源"])]
    j = join_sources(sources, 2025)
    assert j.table.loc[0, "税收(万元)"] == 100 and j.table.loc[0, "企业名称"] == "甲"
    c = j.conflicts.set_index("field")
    assert c.loc["tax", "winner"] == "税务" and c.loc["tax", "value"] == "90" and c.loc["tax", "winner_value"] == "100"
    assert c.loc["name", "value"] == "甲有限公司"  # one code, two names
    firm_1 = j.issues[j.issues["row"] == 1]["message_zh"]
    assert firm_1.str.contains("税收(万元) 各来源不一致：统计“90”与 税务“100”，采用后者", regex=False).any()
    preferred = join_sources(sources, 2025, prefer={"tax": "统计"})
    assert preferred.table.loc[0, "税收(万元)"] == 90 and preferred.table.loc[0, "企业名称"] == "甲"
    assert preferred.conflicts.set_index("field").loc["tax", "winner"] == "统计"
    sheets = join_sheets(j)
    assert set(sheets) == {"数据来源", "来源冲突", "未匹配代码"} and "采用来源" in sheets["来源冲突"].columns


def test_equal_values_in_other_units_are_not_conflicts():
    tax = pd.DataFrame({"统一社会信用代码": [code(1)], "企业名称": ["甲"], "税收(万元)": ["1.5"],
                        "用地面积(亩)": ["2"]})  # fmt: skip
    other = pd.DataFrame({"统一社会信用代码": [code(1)], "税收(元)": ["15000"], "规模": ["是"]})
    first = pd.DataFrame({"统一社会信用代码": [code(1)], "规模": ["规上"]})
    j = join_sources([Source("a", tax), Source("b", other), Source("c", first)])
    assert j.conflicts.empty, j.conflicts


def test_a_code_found_in_one_source_only_and_a_row_without_a_code_stand_alone_and_are_said():
    tables = toy()
    energy = pd.concat([tables["能耗"], pd.DataFrame({"信用代码": [code(9), ""], "综合能耗(吨标准煤)": ["5", "6"]})])
    tax = tables["税务"].assign(**{"用地面积(亩)": ["10", "20", "10"]})
    ev = evaluate_sources([Source("税务", tax), Source("能耗", energy.reset_index(drop=True))], CONFIG)
    assert ev.joined is not None
    unmatched = ev.joined.unmatched
    pairs = list(zip(unmatched["source"], unmatched["credit_code"], strict=True))
    assert pairs == [("税务", code(2)), ("能耗", code(9))]
    alone = ev.result[ev.result["credit_code"] == code(9)].iloc[0]
    assert alone["status"] == "data_error" and "仅见于来源“能耗”" in alone["problems_zh"]
    assert "税收(万元) 不能为空" in alone["problems_zh"]  # and why it cannot be rated
    no_code = ev.result[(ev.result["credit_code"] == "") & (ev.result["energy_tce"] == 6)].iloc[0]
    assert "没有统一社会信用代码" in no_code["problems_zh"]
    counts = ev.accounting()
    assert counts["input"] == 7 and counts["merged"] == 2 and len(ev.result) == 5


def test_a_wrong_check_character_is_kept_evaluated_and_stated_in_the_firms_row():
    tables = toy()
    wrong = code(2)[:-1] + ("0" if code(2)[-1] != "0" else "1")
    tables["税务"].loc[1, "统一社会信用代码"] = wrong
    tables["自然资源"].loc[2, "统一社会信用代码"] = wrong
    ev = evaluate_sources([Source(k, v) for k, v in tables.items()], CONFIG)
    firm = ev.result[ev.result["credit_code"] == wrong].iloc[0]
    assert firm["status"] != "data_error" and "校验位不正确" in firm["problems_zh"]


def test_duplicates_in_a_source_that_is_not_a_parcel_table_keep_the_first_row():
    tables = toy()
    tax = pd.concat([tables["税务"], tables["税务"].iloc[[0]].assign(**{"税收(万元)": "70"})], ignore_index=True)
    j = join_sources([Source("税务", tax), Source("自然资源", tables["自然资源"])])
    assert j.table.loc[0, "税收(万元)"] == 100
    dup = j.conflicts[j.conflicts["field"] == "tax"].iloc[0]
    assert dup["source"] == "税务 第 5 行" and dup["winner"] == "税务 第 2 行"
    assert j.sources.set_index("source").loc["税务", "duplicate_rows"] == 1


def test_a_source_without_a_code_column_is_refused_with_its_name():
    tables = toy()
    with pytest.raises(InputError, match="来源“能耗”没有 统一社会信用代码 列"):
        evaluate_sources([Source("税务", tables["税务"]), Source("能耗", tables["能耗"].drop(columns="信用代码")),
                          Source("地", tables["自然资源"])], CONFIG)  # fmt: skip


def test_a_header_mapping_names_unknown_headers():
    tables = toy()
    tax = tables["税务"].rename(columns={"税收(万元)": "纳税总额"})
    with pytest.raises(InputError, match="缺少必填列"):
        evaluate_sources([Source("税务", tax), Source("自然资源", tables["自然资源"])], CONFIG)
    ev = evaluate_sources([Source("税务", tax, {"纳税总额": "tax"}), Source("自然资源", tables["自然资源"])], CONFIG)
    assert ev.result["tax"].tolist() == [100, 50, 30]
    with pytest.raises(SchemaError, match="未知字段"):
        join_sources([Source("税务", tax, {"纳税总额": "taxes"})])


def test_the_year_column_must_agree_with_the_evaluation_year():
    tables = toy()
    energy = tables["能耗"].assign(年度="2023")
    with pytest.raises(InputError, match="来源“能耗”的年度为 2023，评价年度为 2025"):
        evaluate_sources([Source("税务", tables["税务"]), Source("能耗", energy), Source("地", tables["自然资源"])],
                         CONFIG)  # fmt: skip
    mixed = tables["税务"].assign(年度=["2025", "2024", "2025"])
    ev = evaluate_sources([Source("税务", mixed), Source("能耗", tables["能耗"]), Source("地", tables["自然资源"])],
                          CONFIG)  # fmt: skip
    wrong = ev.result[ev.result["credit_code"] == code(2)].iloc[0]
    assert wrong["status"] == "data_error" and "年度 为 2024，与评价年度 2025 不一致" in wrong["problems_zh"]
    one_table = BASE.assign(年度="2024")
    with pytest.raises(InputError, match="表中年度为 2024"):
        evaluate_table(one_table, CONFIG)


def test_sources_of_different_years_are_refused_without_an_evaluation_year():
    tables = toy()
    with pytest.raises(SchemaError, match="各来源的年度不同"):
        join_sources([Source("税务", tables["税务"].assign(年度="2024")),
                      Source("能耗", tables["能耗"].assign(年度="2023"))])  # fmt: skip


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(range(4)), shuffle=st.integers(0, 2**16),
       duplicated=st.lists(st.integers(0, len(BASE) - 1), max_size=5))  # fmt: skip
def test_splitting_a_table_into_departments_changes_no_class(order, shuffle, duplicated):
    """The same firms, split into four tables in any order and row order, evaluate as the one table does."""
    whole = evaluate_table(table(list(BASE.columns)), CONFIG)
    parcels = BASE[LAND].copy()
    split = sorted(set(duplicated))  # these firms' land comes as two parcels of half the area
    area = pd.to_numeric(parcels["用地面积(亩)"])
    parcels.loc[split, "用地面积(亩)"] = (area[split] / 2).map(repr)
    halves = parcels.loc[split]
    frames = {"税务": BASE[TAX], "统计": BASE[STATS], "能耗": BASE[ENERGY], "自然资源": pd.concat([parcels, halves])}
    names = list(frames)
    sources = []
    for k in order:
        frame = frames[names[k]].sample(frac=1, random_state=shuffle).reset_index(drop=True)
        frame.insert(0, "_row", range(2, 2 + len(frame)))
        sources.append(Source(names[k], frame))
    ev = evaluate_sources(sources, CONFIG)
    counts = ev.accounting()
    assert counts["input"] == 4 * len(BASE) + len(halves) and counts["merged"] == 3 * len(BASE) + len(halves)
    mine = ev.result.set_index("credit_code")
    theirs = whole.result.set_index("credit_code").loc[mine.index]
    assert (mine["class"] == theirs["class"]).all()
    assert np.allclose(mine["score"], theirs["score"], equal_nan=True)
    assert np.allclose(mine["land_mu"], theirs["land_mu"])


def test_edge_cases_found_in_review():
    """A duplicate's empty first cell, a bad parcel, braces in a source name, placeholder codes, a split position."""
    tables = toy()
    tax = pd.concat([tables["税务"], pd.DataFrame({"统一社会信用代码": [code(1)], "税收(万元)": ["100"]})],
                    ignore_index=True)  # fmt: skip
    tax.loc[0, "税收(万元)"] = ""  # the first row of firm 1 has no tax; its second row has
    land = tables["自然资源"].copy()
    land.loc[3, "用地面积(平方米)"] = "abc"  # firm 3's second parcel is not a number
    j = join_sources([Source("税务", tax), Source("地块{2024}", land)])
    t = j.table.set_index("统一社会信用代码")
    assert t.loc[code(1), "税收(万元)"] == 100.0
    assert t.loc[code(3), "用地面积(亩)"] == "abc"  # the firm's land is in error, not one parcel's area
    placeholder = pd.DataFrame({"统一社会信用代码": ["无", "无"], "企业名称": ["甲", "丙"], "规模": ["规下"] * 2,
                                "税收(万元)": ["1", "2"], "用地面积(亩)": ["5", "5"]})  # fmt: skip
    energy = pd.DataFrame({"统一社会信用代码": ["无"], "综合能耗(吨标准煤)": ["9"]})
    j = join_sources([Source("税务", placeholder), Source("能耗", energy)])
    assert len(j.table) == 3 and j.merged == 0  # "无" joins nothing
    a = pd.DataFrame({"统一社会信用代码": [code(1)], "企业名称": ["甲"], "规模": ["规下"], "税收(万元)": ["1"],
                      "用地面积(亩)": ["5"], "经度": ["120.1"], "纬度": [""]})  # fmt: skip
    b = pd.DataFrame({"统一社会信用代码": [code(1)], "经度": ["120.9"], "纬度": ["36.3"]})
    j = join_sources([Source("a", a), Source("b", b)])
    assert j.table.loc[0, ["经度", "纬度"]].tolist() == [120.9, 36.3]  # the whole position from one source
