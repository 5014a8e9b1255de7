"""Every firm of the input is accounted for: listed once in the result, and the counts reconcile (issue 13, 1)."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.land_yield.config import default_config
from analysis.land_yield.pipeline import evaluate_table
from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "sample_enterprises.csv"
BASE = pd.read_csv(SAMPLE, skiprows=1, dtype=str, keep_default_na=False).head(60)
BASE.insert(0, "_row", range(2, 2 + len(BASE)))  # source row numbers, as read_enterprises gives them
BREAKS = {
    "用地面积(亩)": ["0", "-3", "abc", ""],
    "税收(万元)": ["", "=1+1", "1e15"],
    "规模": ["中型", ""],
    "经度": ["150", "36.1"],
    "统一社会信用代码": ["91370200MA3C12345X"],  # a wrong check character: kept and evaluated, with a note
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.sampled_from(sorted(BREAKS)), st.integers(0, 3)),
                max_size=15))  # fmt: skip
def test_every_row_is_listed_once_and_the_counts_reconcile(breaks):
    raw = BASE.copy()
    for row, column, pick in breaks:
        raw.loc[row, column] = BREAKS[column][pick % len(BREAKS[column])]
    ev = evaluate_table(raw, default_config())
    assert sorted(ev.result["_row"]) == sorted(raw["_row"])  # nothing dropped, nothing doubled
    counts = ev.accounting()
    assert counts["input"] == len(raw) == sum(v for k, v in counts.items() if k != "input")
    errors = ev.result[ev.result["status"] == "data_error"]
    assert len(errors) == ev.prepared.n_errors
    assert (errors["problems_zh"] != "").all() and (errors["class"] == "").all() and errors["score"].isna().all()


def test_a_row_with_an_error_says_which_field_and_why_in_both_languages():
    raw = BASE.copy()
    raw.loc[3, "用地面积(亩)"] = "0"
    ev = evaluate_table(raw, default_config())
    firm = ev.result.set_index("_row").loc[5]  # the 4th data row is source row 5
    assert firm["status"] == "data_error"
    assert firm["problems_zh"] == "用地面积(亩) 必须大于 0" and firm["problems_en"] == "land_mu must be greater than 0"
