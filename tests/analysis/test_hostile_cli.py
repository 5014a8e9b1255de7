"""Careless and hostile input through the command lines: bad parameters, strict JSON, control characters in XLSX."""

from __future__ import annotations

import io
import json
import math
import re
import subprocess
import sys

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from analysis.land_yield.config import INDICATORS, default_config
from analysis.land_yield.pipeline import evaluate_table
from analysis.param_schema import MAX_NUMBER
from analysis.siting.config import FACTORS, NODE_KINDS, load_siting_config
from analysis.siting.context import build_context
from analysis.siting.project import make_project
from analysis.siting.rank import rank_sites
from files.enterprises import read_enterprises
from files.xlsx import xlsx_bytes
from layers import load_layers
from tests.conftest import ROOT
from tests.plans import CONFIG, PLAN

SAMPLE = ROOT / "data" / "sample_enterprises.csv"
LY_TOML = (ROOT / "analysis" / "land_yield" / "land_yield.toml").read_text(encoding="utf-8")
SITING_TOML = (ROOT / "analysis" / "siting" / "siting.toml").read_text(encoding="utf-8")
SITE_ARGS = ("--industry", "新能源汽车零部件", "--land-mu", "200", "--investment-wan", "80000", "--tax-wan", "6000")


def run(module: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=180)


def with_line(text: str, key: str, value: str) -> str:
    new, n = re.subn(rf"^{re.escape(key)} = .*$", lambda _: f"{key} = {value}", text, count=1, flags=re.M)
    assert n == 1, key
    return new


def strict_json(text: str) -> object:
    """``json.loads`` that refuses NaN, Infinity and -Infinity (not JSON, RFC 8259)."""

    def refuse(constant: str) -> None:
        raise ValueError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


def numbers(value: object) -> list[float]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in numbers(v)]
    if isinstance(value, list):
        return [x for v in value for x in numbers(v)]
    return [value] if isinstance(value, float) else []


def assert_refused(proc: subprocess.CompletedProcess, key: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("错误 / error:") and key in proc.stderr, proc.stderr


# ---- parameters through the command lines ------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        ("winsorize", "[0.1]", "winsorize"),
        ("excluded_divisions", "44", "excluded_divisions"),
        ("evaluation_year", '"2025"', "evaluation_year"),
        ("tax_per_mu", "1e308", "weights.tax_per_mu"),
        ("title", r'"第一行\n第二行"', "title"),
    ],
)
def test_land_yield_cli_refuses_bad_parameters_naming_the_key(tmp_path, key, value, named):
    config = tmp_path / "bad.toml"
    config.write_text(with_line(LY_TOML, key, value), encoding="utf-8")
    out = tmp_path / "r.xlsx"
    assert_refused(
        run("analysis.land_yield", "--input", str(SAMPLE), "--config", str(config), "--out", str(out)), named
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        ("plan_fit", "1e308", "weights.plan_fit"),
        ("interchange", "1e308", "transport_weights.interchange"),
        ("title", r'"a\nb"', "title"),
        ("official", '"false"', "official"),
        ("full_m", "nan", "distance.axis.full_m"),
    ],
)
def test_siting_cli_refuses_bad_parameters_naming_the_key(tmp_path, key, value, named):
    config = tmp_path / "bad.toml"
    config.write_text(with_line(SITING_TOML, key, value), encoding="utf-8")
    proc = run("analysis.siting", *SITE_ARGS, "--config", str(config), "--json")
    assert_refused(proc, named)
    assert proc.stdout == ""


# ---- strict JSON ---------------------------------------------------------------------------------


def test_siting_json_is_strict_json_even_with_the_largest_weights(tmp_path):
    config = tmp_path / "big.toml"
    big = load_siting_config(None, PLAN).with_changes(weights=dict.fromkeys(FACTORS, MAX_NUMBER),
                                            transport_weights=dict.fromkeys(NODE_KINDS, MAX_NUMBER))  # fmt: skip
    config.write_text(big.to_toml(), encoding="utf-8")
    proc = run("analysis.siting", *SITE_ARGS, "--config", str(config), "--json", "--top", "20")
    assert proc.returncode == 0, proc.stderr
    data = strict_json(proc.stdout)
    assert data["clusters"] and data["plots"]
    assert all(math.isfinite(x) for x in numbers(data))
    assert all(0 <= c["score"] <= 100 for c in data["clusters"] + data["plots"])


def test_to_json_turns_non_finite_numbers_into_null():
    ctx = build_context(load_layers(), PLAN)
    result = rank_sites(make_project(PLAN, "食品", 50), ctx, CONFIG)
    result.clusters.loc[0, "score"] = np.nan
    result.clusters.loc[1, "pts_axis"] = np.inf
    result.clusters.loc[2, "free_land_mu"] = -np.inf
    result.plots.loc[0, "area_mu"] = np.nan
    result.weights["axis"] = float("inf")
    data = result.to_json(top=3)
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)  # raises ValueError on NaN / Infinity
    back = strict_json(text)
    assert back["clusters"][0]["score"] is None
    assert back["clusters"][1]["breakdown"]["axis"] is None
    assert back["clusters"][2]["free_land_mu"] is None
    assert back["plots"][0]["area_mu"] is None
    assert back["weights"]["axis"] is None


def test_land_yield_scores_stay_finite_with_the_largest_weights():
    config = default_config().with_changes(weights=dict.fromkeys(INDICATORS, MAX_NUMBER), cap=100.0,
                                           weights_below={"tax_per_mu": MAX_NUMBER})  # fmt: skip
    ev = evaluate_table(read_enterprises(SAMPLE).head(300), config)
    rated = ev.result[ev.result["class"].isin(list("ABCD"))]
    assert len(rated) > 100 and np.isfinite(rated["score"].to_numpy(float)).all()


# ---- XLSX: control characters --------------------------------------------------------------------


def test_a_firm_name_with_a_control_character_does_not_crash_the_xlsx_output(tmp_path):
    frame = pd.read_csv(SAMPLE, skiprows=1).head(40)
    frame.loc[0, "企业名称"] = "青岛\x0b测试\x01机械有限公司"
    frame.loc[1, "企业名称"] = '=HYPERLINK("http://x")'
    source = tmp_path / "firms.csv"
    frame.to_csv(source, index=False, encoding="utf-8")
    out = tmp_path / "r.xlsx"
    proc = run("analysis.land_yield", "--input", str(source), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    names = pd.read_excel(out, sheet_name="评价结果", engine="openpyxl")["企业名称"].tolist()
    name = next(n for n in names if "测试" in n)  # the readers may turn control characters into spaces
    assert name.startswith("青岛") and name.endswith("机械有限公司") and not ILLEGAL_CHARACTERS_RE.search(name)
    assert '\'=HYPERLINK("http://x")' in names  # formula neutralisation unchanged


def test_xlsx_bytes_cleans_cells_headers_and_sheet_names():
    frame = pd.DataFrame({"名称\x0b": ["a\x01b", "=cmd|' /C calc'!A0", None, "tab\tand\nnewline"],
                          "值\x1f": [1.5, np.nan, 3.0, 4.0], "ok": [True, False, True, False]})  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"结果\x07": frame, "空": pd.DataFrame()})))
    assert book.sheetnames == ["结果", "空"]
    rows = list(book["结果"].iter_rows(values_only=True))
    assert rows[0] == ("名称", "值", "ok")
    assert [r[0] for r in rows[1:]] == ["ab", "'=cmd|' /C calc'!A0", None, "tab\tand\nnewline"]
    assert [r[1] for r in rows[1:]] == [1.5, None, 3.0, 4.0]
    assert [r[2] for r in rows[1:]] == [True, False, True, False]
