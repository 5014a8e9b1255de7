"""The command line: outputs by extension, summary, exit code 2 on invalid input."""

from __future__ import annotations

import subprocess
import sys

import geopandas as gpd
import pandas as pd

from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "sample_enterprises.csv"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis.land_yield", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_xlsx_output_with_all_sheets(tmp_path):
    out = tmp_path / "r.xlsx"
    proc = run("--input", str(SAMPLE), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "合成样例数据" in proc.stdout and "A " in proc.stdout
    book = pd.read_excel(out, sheet_name=None)
    assert set(book) >= {"评价结果", "问题清单", "区市汇总", "集聚区汇总", "评价参数"}
    results = book["评价结果"]
    assert len(results) == 3000 and {"类别", "综合得分", "单位用地税收(万元/亩)", "数据性质"} <= set(results.columns)
    assert set(results["类别"].dropna()) <= {"A", "B", "C", "D", "T"}


def test_geojson_and_csv_outputs(tmp_path):
    assert run("--input", str(SAMPLE), "--out", str(tmp_path / "r.geojson")).returncode == 0
    gdf = gpd.read_file(tmp_path / "r.geojson")
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == 3000
    assert run("--input", str(SAMPLE), "--out", str(tmp_path / "r.csv")).returncode == 0
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8


def test_invalid_input_exits_2_with_one_clear_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("企业名称,规模\n甲,规上\n", encoding="gbk")
    proc = run("--input", str(bad), "--out", str(tmp_path / "r.xlsx"))
    assert proc.returncode == 2
    assert "缺少必填列" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("--input", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "r.xlsx"))
    assert proc.returncode == 2 and "无法读取" in proc.stderr
    cfg = tmp_path / "c.toml"
    cfg.write_text("cap = 'x'\n", encoding="utf-8")
    proc = run("--input", str(SAMPLE), "--config", str(cfg), "--out", str(tmp_path / "r.xlsx"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_rows_with_errors_are_reported_and_the_rest_evaluated(tmp_path):
    frame = pd.read_csv(SAMPLE, skiprows=1).head(50)
    frame.loc[10, "用地面积(亩)"] = 0
    path = tmp_path / "firms.xlsx"
    frame.to_excel(path, index=False)
    proc = run("--input", str(path), "--out", str(tmp_path / "r.xlsx"))
    assert proc.returncode == 0
    assert "第 12 行：用地面积(亩) 必须大于 0" in proc.stderr
    result = pd.read_excel(tmp_path / "r.xlsx", sheet_name="评价结果")
    assert len(result) == 50  # every firm of the input, the one with an error too (issue 13, 1)
    bad = result[result["源文件行号"] == 12].iloc[0]
    assert bad["评价状态"].startswith("数据错误") and bad["问题"] == "用地面积(亩) 必须大于 0" and pd.isna(bad["类别"])
    assert (result["评价状态"] == "参评").sum() + (result["评价状态"] != "参评").sum() == 50
    assert "输入 50 行 = 参评" in proc.stdout and "数据错误 1" in proc.stdout
