"""Year on year (issue 13, 3): class changes, transitions, consecutive D years, trends, an earlier result read back."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.land_yield.config import default_config
from analysis.land_yield.history import class_changes, consecutive_d, firm_years, transition_matrix, trends
from analysis.land_yield.pipeline import InputError, compare_previous, evaluate_table, result_sheets
from files.results import read_result
from files.xlsx import xlsx_bytes
from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "sample_enterprises.csv"
BASE = pd.read_csv(SAMPLE, skiprows=1, dtype=str, keep_default_na=False).head(120)
CLASSES = st.sampled_from(["A", "B", "C", "D", "T", ""])


def _year(codes: list[str], classes: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"credit_code": codes, "name": [f"企业{c}" for c in codes], "class": classes})


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(list("abcdefghij")), CLASSES, max_size=10),
       st.dictionaries(st.sampled_from(list("abcdefghij")), CLASSES, max_size=10))  # fmt: skip
def test_the_transition_matrix_counts_every_firm_of_both_years_once(before, after):
    prev, cur = _year(list(before), list(before.values())), _year(list(after), list(after.values()))
    m = transition_matrix(cur, prev)
    assert int(m.to_numpy().sum()) == len(set(before) | set(after))
    assert int(m.drop(columns="已退出").sum().sum()) == len(after)  # every current firm in a column
    assert int(m.drop(index="新进入").sum().sum()) == len(before)  # every earlier firm in a row
    changes = class_changes(cur, prev)
    assert (changes["class_change"] == "新进入").sum() == len(set(after) - set(before))
    up = changes["class_trend"] == 1
    ranks = {"A": 0, "B": 1, "C": 2, "D": 3}
    assert all(ranks[p] > ranks[c] for p, c in zip(changes.loc[up, "prev_class"], cur.loc[up, "class"], strict=True))


def test_consecutive_d_years_carry_through_results_and_are_broken_by_a_gap():
    y21, y22, y23 = _year(["a", "b"], ["D", "D"]), _year(["a", "b"], ["D", "C"]), _year(["a", "b"], ["D", "D"])
    assert consecutive_d({2021: y21, 2022: y22, 2023: y23}).tolist() == [3, 1]
    assert consecutive_d({2021: y21, 2023: y23}).tolist() == [1, 1]  # 2022 missing: no evidence of a streak
    chained = y22.join(class_changes(y22, y21))  # a result compared with its own previous year
    assert class_changes(y23, chained)["consecutive_d"].tolist() == [3, 1]


def test_trends_are_totals_over_totals_per_area_and_year():
    firms = pd.DataFrame({"district": ["甲", "甲", "乙"], "status": ["rated"] * 3, "class": ["A", "D", "B"],
                          "land_mu": [10.0, 30.0, 5.0], "tax": [100.0, 20.0, 10.0],
                          "revenue": [1.0, 3.0, 1.0]})  # fmt: skip
    later = firms.assign(tax=firms["tax"] * 2)
    t = trends({2024: firms, 2025: later}).set_index(["year", "district"])
    assert t.loc[(2024, "甲"), "tax_per_mu"] == 3.0 and t.loc[(2025, "甲"), "tax_per_mu"] == 6.0
    assert t.loc[(2024, "甲"), "share_A"] == 0.5 and t.loc[(2024, "乙"), "n_rated"] == 1


def _evaluated(year: int, scale: float = 1.0, config=None):
    raw = BASE.copy()
    raw["税收(万元)"] = (pd.to_numeric(raw["税收(万元)"]) * scale).map(repr)
    return evaluate_table(raw, config or dataclasses.replace(default_config(), evaluation_year=year))


def test_an_earlier_result_written_as_xlsx_reads_back_and_compares(tmp_path):
    earlier = _evaluated(2024)
    path = tmp_path / "2024.xlsx"
    path.write_bytes(xlsx_bytes(result_sheets(earlier, {})))
    previous = read_result(path)
    assert previous.year == 2024 and previous.config is not None and len(previous.firms) == len(BASE)
    now = compare_previous(_evaluated(2025, 1.1), previous.firms, previous.config, previous.year)
    assert now.previous is not None and not now.previous.warnings
    same = now.result["class"] == earlier.result["class"]
    assert (now.result.loc[same & (now.result["class"] != ""), "class_change"].str.len() == 3).all()  # "B→B"
    rated = now.result["status"] == "rated"
    assert np.allclose(now.result.loc[rated, "change_tax_per_mu"], 10.0, atol=0.11)  # 10 % more tax on the same land
    history = {2024: earlier.result, 2025: now.result}
    code = now.result["credit_code"].iloc[0]
    assert firm_years(history, code)["year"].tolist() == [2024, 2025]
    assert "类别变化矩阵" in result_sheets(now, {})


def test_an_earlier_result_with_other_weights_or_without_parameters_is_said(tmp_path):
    earlier = _evaluated(2024)
    other = default_config().with_changes(weights={**default_config().weights, "tax_per_mu": 50.0})
    now = compare_previous(_evaluated(2025, config=dataclasses.replace(other, evaluation_year=2025)), earlier.result,
                           earlier.config, 2024)  # fmt: skip
    assert any("weights" in zh and "类别变化可能由此引起" in zh for zh, _ in now.previous.warnings)
    csv = tmp_path / "2024.csv"
    csv.write_bytes(result_sheets(earlier, {})["评价结果"].to_csv(index=False).encode("utf-8-sig"))
    previous = read_result(csv)
    assert previous.config is None
    later = compare_previous(_evaluated(2025), previous.firms, previous.config, previous.year)
    assert any("未附评价参数" in zh for zh, _ in later.previous.warnings)
    same_year = compare_previous(_evaluated(2025), earlier.result, dataclasses.replace(earlier.config,
                                 evaluation_year=2025), None)  # fmt: skip
    assert any("不早于" in zh for zh, _ in same_year.previous.warnings)


def test_a_file_that_is_not_a_result_is_refused(tmp_path):
    firms = tmp_path / "firms.csv"
    BASE.to_csv(firms, index=False)
    with pytest.raises(InputError, match="不是亩产效益评价结果文件"):
        read_result(firms)
    odd = tmp_path / "odd.csv"
    pd.DataFrame({"统一社会信用代码": ["x"], "类别": ["E"]}).to_csv(odd, index=False)
    with pytest.raises(InputError, match="classes"):
        read_result(odd)
    with pytest.raises(InputError):
        read_result(b"\x00\x01binary", "x.bin")


def test_review_cases_streaks_rows_and_result_files(tmp_path):
    """A D streak restarts after a gap; the matrix counts rows; firms without code or name match nothing."""
    prev = pd.DataFrame({"credit_code": ["", "", "91370200000000001"], "name": ["", "", "甲"], "class": ["D", "A", "D"],
                         "consecutive_d": [1, 0, np.nan]})  # fmt: skip
    cur = pd.DataFrame({"credit_code": ["", "9137020000 000 0001"], "name": ["", "甲"], "class": ["C", "D"]})
    changes = class_changes(cur, prev)
    assert changes["class_change"].tolist() == ["新进入", "D→D"]  # no code, no name: not last year's
    assert changes["consecutive_d"].tolist() == [0, 2]  # a D firm without a count was D at least once
    assert class_changes(cur, prev, consecutive=False)["consecutive_d"].tolist() == [0, 1]
    m = transition_matrix(cur, prev)
    assert int(m.to_numpy().sum()) == 4 and int(m.loc["新进入", "C"]) == 1 and int(m["已退出"].sum()) == 2
    both = tmp_path / "both.csv"
    pd.DataFrame({"统一社会信用代码": ["x"], "类别": ["A"], "class": ["B"]}).to_csv(both, index=False)
    with pytest.raises(InputError, match="two columns for class"):
        read_result(both)
    bare = tmp_path / "bare.csv"
    pd.DataFrame({"统一社会信用代码": ["91370200000000001"], "类别": ["D"]}).to_csv(bare, index=False)
    assert class_changes(cur, read_result(bare).firms)["prev_class"].tolist() == [None, "D"]
