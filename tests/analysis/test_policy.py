"""Differentiated prices by class (issue 13, 4): the policy table, per-firm amounts, totals, bad policy files."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.land_yield.config import default_config
from analysis.land_yield.pipeline import apply_policy_to, evaluate_table, result_sheets
from analysis.land_yield.policy import PolicyError, apply_policy, load_policy, policy_totals
from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "sample_enterprises.csv"
RULES = "[rules.D]\nclass = 'D'\nkind = 'surcharge'\npower_yuan_per_kwh = {rate}\n"


@pytest.mark.parametrize(("text", "message"), [
    (RULES.format(rate="-0.1"), "须在 0–1000 之间"),
    (RULES.format(rate="nan"), "power_yuan_per_kwh"),
    (RULES.format(rate="inf"), "power_yuan_per_kwh"),
    (RULES.format(rate="'0.1'"), "power_yuan_per_kwh"),
    (RULES.format(rate="0.1") + "[rules.D2]\nclass = 'D'\nkind = 'surcharge'\n", "两条规则"),
    ("[rules.E]\nclass = 'E'\nkind = 'surcharge'\n", "class"),
    ("title = 'x'\n", "rules"),
    ("[rules.D]\nclass = 'D'\nkind = 'surcharge'\nprofit = 1\n", "profit"),
    ("[rules.A]\nclass = 'A'\nkind = 'incentive'\nmin_consecutive = 2\n", "class D only"),
])  # fmt: skip
def test_a_policy_that_cannot_be_used_is_refused_with_the_key(text, message):
    with pytest.raises(PolicyError, match=message):
        load_policy(text.encode("utf-8"))


@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C", "D", "T", ""]), st.integers(0, 5),
                          st.one_of(st.none(), st.floats(0, 1e7))), max_size=30))  # fmt: skip
def test_amounts_are_use_times_rate_with_the_sign_of_the_rule_and_never_a_silent_zero(firms):
    frame = pd.DataFrame(firms, columns=["class", "consecutive_d", "power_kwh"]).assign(gas_m3=1.0, water_t=1.0)
    frame["power_kwh"] = frame["power_kwh"].astype(float)
    out = apply_policy(frame, load_policy())
    rules = {r.name: r for r in load_policy().rules}
    for (_, firm), (_, row) in zip(frame.iterrows(), out.iterrows(), strict=True):
        rule = rules.get(row["policy_rule"])
        if rule is None:
            assert firm["class"] not in ("A", "D") and np.isnan(row["diff_total"])
            continue
        sign = 1 if rule.kind == "surcharge" else -1
        if np.isnan(firm["power_kwh"]) and rule.rates["power_kwh"] > 0:
            assert np.isnan(row["diff_power_kwh"]) and "缺少用电量" in row["policy_note_zh"]
        else:
            expected = sign * rule.rates["power_kwh"] * firm["power_kwh"]
            assert row["diff_power_kwh"] == pytest.approx(expected, abs=0.01)
        if firm["class"] == "D":
            assert (rule.min_consecutive > 1) == (firm["consecutive_d"] >= 2)


def test_the_policy_goes_into_the_result_and_the_workbook():
    ev = evaluate_table(pd.read_csv(SAMPLE, skiprows=1, dtype=str, keep_default_na=False).head(200), default_config())
    applied = apply_policy_to(ev, load_policy())
    d = applied.result[applied.result["class"] == "D"]
    assert (d["policy_rule"] == "D").all()  # no earlier year: every D firm in its first D year
    assert (d["diff_power_kwh"].notna() | d["policy_note_zh"].str.contains("缺少用电量")).all()
    assert (d["diff_power_kwh"] > 0).sum() > len(d) / 2  # most firms report their power use
    sheets = result_sheets(applied, {})
    assert {"差别化汇总（类别）", "差别化汇总（区市）"} <= set(sheets)
    assert any(c.startswith("差别化") for c in sheets["评价结果"].columns)
    assert "非官方" in sheets["差别化汇总（类别）"]["政策参数"].iloc[0]
    totals = policy_totals(applied.result, "district")
    assert totals["firms"].sum() == (applied.result["policy_rule"] != "").sum()


def test_the_command_applies_a_policy_and_refuses_a_bad_one(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "analysis.land_yield", "--input", str(SAMPLE), *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)  # fmt: skip

    proc = run("--policy", "default", "--out", str(tmp_path / "r.xlsx"))
    assert proc.returncode == 0 and "差别化价格（差别化价格示例(非官方)）合计" in proc.stdout
    bad = tmp_path / "p.toml"
    bad.write_text(RULES.format(rate="-1"), encoding="utf-8")
    proc = run("--policy", str(bad), "--out", str(tmp_path / "x.xlsx"))
    assert proc.returncode == 2 and "power_yuan_per_kwh" in proc.stderr and not (tmp_path / "x.xlsx").exists()


def test_a_policy_nested_too_deeply_is_refused_not_a_crash():
    with pytest.raises(PolicyError, match="嵌套过深"):
        load_policy(b"x = " + b"[" * 50_000 + b"]" * 50_000)
