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
    assert set(book) >= {"评价结果", "问题清单", "区市汇总", "集聚区汇总", "主导产业集聚度", "评价参数"}
    shares = book["主导产业集聚度"]
    assert len(shares) == 14 and set(shares["规划目标(%，五(六)2)"]) == {80.0}
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


def _department_files(tmp_path):
    """The sample split as three departments would send it: tax, statistics (shuffled), land parcels."""
    frame = pd.read_csv(SAMPLE, skiprows=1, dtype=str, keep_default_na=False).head(40)
    tax = ["统一社会信用代码", "企业名称", "区市", "规模", "行业代码", "投产年份", "经度", "纬度", "税收(万元)",
           "数据性质"]  # fmt: skip
    stats = ["统一社会信用代码", "企业名称", "营业收入(万元)", "工业增加值(万元)", "研发经费(万元)", "从业人员(人)",
             "综合能耗(吨标准煤)", "主要污染物排放量(吨)"]  # fmt: skip
    frame[tax].to_csv(tmp_path / "税务.csv", index=False)
    frame[stats].sample(frac=1, random_state=3).to_csv(tmp_path / "统计.csv", index=False)
    land = frame[["统一社会信用代码", "用地面积(亩)"]].rename(columns={"用地面积(亩)": "宗地面积"})
    land.to_excel(tmp_path / "parcels.xlsx", index=False)
    (tmp_path / "map.json").write_text('{"宗地面积": "用地面积(亩)"}', encoding="utf-8")
    return frame


def test_several_inputs_are_joined_by_credit_code(tmp_path):
    frame = _department_files(tmp_path)
    out = tmp_path / "r.xlsx"
    proc = run("--input", str(tmp_path / "税务.csv"), "--input", str(tmp_path / "统计.csv"),
               "--input", f"自然资源={tmp_path / 'parcels.xlsx'}", "--columns", str(tmp_path / "map.json"),
               "--prefer", "企业名称=统计", "--year", "2025", "--out", str(out))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "输入 120 行 = 参评" in proc.stdout and "合并 80" in proc.stdout and "自然资源" in proc.stdout
    book = pd.read_excel(out, sheet_name=None)
    assert {"数据来源", "来源冲突", "未匹配代码"} <= set(book)
    results = book["评价结果"]
    assert len(results) == 40 and {"来源行号：税务", "来源行号：统计", "来源行号：自然资源"} <= set(results.columns)
    single = tmp_path / "one.xlsx"
    frame.to_excel(single, index=False)
    assert run("--input", str(single), "--out", str(tmp_path / "one_r.xlsx")).returncode == 0
    alone = pd.read_excel(tmp_path / "one_r.xlsx", sheet_name="评价结果").set_index("统一社会信用代码")["类别"]
    assert (results.set_index("统一社会信用代码")["类别"].reindex(alone.index).fillna("") == alone.fillna("")).all()


def test_join_arguments_that_cannot_work_exit_2_with_a_message(tmp_path):
    _department_files(tmp_path)
    base = ["--input", str(tmp_path / "税务.csv"), "--out", str(tmp_path / "r.xlsx")]
    no_code = tmp_path / "nocode.csv"
    no_code.write_text("企业名称,用地面积(亩)\n甲,3\n", encoding="utf-8")
    cases = {
        ("--input", str(no_code)): "没有 统一社会信用代码 列",
        ("--input", str(tmp_path / "统计.csv"), "--prefer", "税收"): "--prefer",
        ("--input", str(tmp_path / "统计.csv"), "--prefer", "税收=海关"): "优先来源“海关”不在输入表中",
        ("--input", str(tmp_path / "统计.csv"), "--prefer", "利润=税务"): "未知字段",
        ("--input", str(tmp_path / "统计.csv"), "--columns", str(tmp_path / "税务.csv")): "表头映射",
        ("--input", str(tmp_path / "parcels.xlsx"), "--year", "1800"): "--year",
    }
    for extra, message in cases.items():
        proc = run(*base, *extra)
        assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr, (extra, proc.stderr)
    assert not (tmp_path / "r.xlsx").exists()


def test_previous_year_result_adds_class_changes_and_a_transition_matrix(tmp_path):
    first = tmp_path / "2024.xlsx"
    assert run("--input", str(SAMPLE), "--year", "2024", "--out", str(first)).returncode == 0
    out = tmp_path / "2025.xlsx"
    proc = run("--input", str(SAMPLE), "--previous", str(first), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "与上年（2024）比较" in proc.stdout and "连续两年及以上 D 类" in proc.stdout
    book = pd.read_excel(out, sheet_name=None)
    results = book["评价结果"]
    assert {"上年类别", "类别变化", "连续D类年数", "单位用地税收较上年(%)"} <= set(results.columns)
    rated_d = results["类别"] == "D"
    assert (results.loc[rated_d & (results["上年类别"] == "D"), "连续D类年数"] == 2).all()
    assert "类别变化矩阵" in book
    bad = run("--input", str(SAMPLE), "--previous", str(SAMPLE), "--out", str(tmp_path / "x.xlsx"))
    assert bad.returncode == 2 and "不是亩产效益评价结果文件" in bad.stderr and not (tmp_path / "x.xlsx").exists()
