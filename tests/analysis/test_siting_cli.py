"""``python -m analysis.siting``: JSON best first, clear errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis.siting", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_json_lists_clusters_and_plots_best_first_with_reasons():
    proc = run("--industry", "新能源汽车零部件", "--land-mu", "200", "--investment-wan", "80000", "--tax-wan", "6000",
               "--top", "4", "--json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["query"]["industry"] == "nev" and data["query"]["land_mu"] == 200
    clusters, plots = data["clusters"], data["plots"]
    assert len(clusters) == 4 and len(plots) == 4
    assert clusters[0]["id"] in {"auto_jimo", "nev_jiangshan_laixi"}
    for items in (clusters, plots):
        assert all({"id", "name", "score", "compliant", "reasons"} <= set(c) for c in items)
        assert all(c["reasons"] for c in items)
        assert [c["score"] for c in items if c["compliant"]] == sorted(
            (c["score"] for c in items if c["compliant"]), reverse=True
        )
        for c in items:
            assert abs(sum(c["breakdown"].values()) - c["score"]) < 0.05
    assert any("合成样例" in n for n in data["notes"])


def test_english_output_and_a_plain_table():
    proc = run("--industry", "smart home appliances", "--land-mu", "100", "--json", "--lang", "en", "--top", "1")
    assert proc.returncode == 0, proc.stderr
    top = json.loads(proc.stdout)["clusters"][0]
    assert top["id"] == "smart_appliance_pingdu" and top["reasons"][0].startswith("[Plan 四(二)]")
    table = run("--industry", "食品", "--land-mu", "50", "--top", "2")
    assert table.returncode == 0 and "莱西市食品产业集聚区" in table.stdout


def test_unknown_industry_lists_close_matches_and_exits_2():
    proc = run("--industry", "新能车", "--land-mu", "10", "--json")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "新能车" in proc.stderr and "新能源汽车" in proc.stderr


def test_bad_numbers_and_files_exit_2(tmp_path):
    assert run("--industry", "食品", "--land-mu", "-3").returncode == 2
    missing = run("--industry", "食品", "--land-mu", "10", "--plots", str(tmp_path / "none.geojson"))
    assert missing.returncode == 2 and "错误" in missing.stderr and "Traceback" not in missing.stderr
    (tmp_path / "bad.toml").write_text("[weights]\nplan_fit = 'x'\n", encoding="utf-8")
    bad = run("--industry", "食品", "--land-mu", "10", "--config", str(tmp_path / "bad.toml"))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
