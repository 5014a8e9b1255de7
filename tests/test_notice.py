"""公示名单 as XLSX and DOCX, and the command line's --objections and --notice (issue 13, 5)."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest
from docx import Document

from analysis.land_yield.config import default_config
from analysis.land_yield.objections import make_objection, register_table
from analysis.land_yield.pipeline import apply_objections_to, evaluate_table
from files.enterprises import read_enterprises
from files.notice import NoticeOptions, notice_docx, notice_xlsx
from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "sample_enterprises.csv"


@pytest.fixture(scope="module")
def reviewed():
    ev = evaluate_table(read_enterprises(SAMPLE), default_config())
    firm = ev.result[ev.result["class"] == "C"].iloc[0]
    o = make_objection(ev.result, firm["credit_code"], "税收漏计", "changed", "B", "补录税收后复核")
    return apply_objections_to(ev, [o]), firm


def _docx_rows(data: bytes) -> list[list[str]]:
    doc = Document(io.BytesIO(data))
    return [[c.text for c in row.cells] for table in doc.tables[1:] for row in table.rows[1:]]


def test_the_docx_lists_every_rated_firm_once_per_class_and_district_without_figures(reviewed):
    ev, firm = reviewed
    data = notice_docx(ev.result, NoticeOptions(2025, "zh", synthetic=True))
    doc = Document(io.BytesIO(data))
    assert doc.paragraphs[0].text.endswith("（合成样例数据，非真实企业）")
    rows = _docx_rows(data)
    rated = ev.result[ev.result["class"].isin(list("ABCD"))]
    assert len(rows) == len(rated) and sorted(r[2] for r in rows) == sorted(rated["credit_code"])
    assert all(len(r) == 4 for r in rows)  # 序号, 企业名称, 统一社会信用代码, 备注: no figures
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[1].startswith("A 类（") and len(headings) == 5
    marked = [r for r in rows if r[2] == firm["credit_code"]]
    assert marked[0][3] == "经异议复核由 C 类调整为 B 类：补录税收后复核"
    tax = f"{firm['tax_per_mu']:.2f}"
    assert not any(tax in cell for r in rows for cell in r)
    counts = doc.tables[0]
    assert counts.rows[-1].cells[-1].text == str(len(rated))


def test_figures_appear_only_when_chosen_and_the_workbook_has_a_sheet_per_class(reviewed):
    ev, firm = reviewed
    plain = pd.read_excel(io.BytesIO(notice_xlsx(ev.result, NoticeOptions(2025))), sheet_name=None, engine="openpyxl")
    assert list(plain) == ["说明", "汇总", "A类名单", "B类名单", "C类名单", "D类名单"]
    assert "单位用地税收(万元/亩)" not in plain["B类名单"].columns
    assert firm["credit_code"] in set(plain["B类名单"]["统一社会信用代码"].astype(str))
    assert sum(len(plain[f"{c}类名单"]) for c in "ABCD") == int(ev.result["class"].isin(list("ABCD")).sum())
    shown = pd.read_excel(
        io.BytesIO(notice_xlsx(ev.result, NoticeOptions(2025, confidential=True))), sheet_name=None, engine="openpyxl"
    )
    assert {"综合得分", "单位用地税收(万元/亩)"} <= set(shown["A类名单"].columns)
    assert "【待填写】" in " ".join(plain["说明"]["说明"])  # the office's details are not invented
    rows = _docx_rows(notice_docx(ev.result, NoticeOptions(2025, "en", confidential=True)))
    assert all(len(r) == 11 for r in rows)  # 序号, name, code, score, rank, five indicators, note


def test_control_characters_in_a_name_do_not_break_the_document():
    result = pd.DataFrame({"name": ["甲\x0b公司"], "credit_code": ["91370200MA3C00001X"], "district": ["城阳区"],
                           "class": ["A"], "status": ["rated"]})  # fmt: skip
    rows = _docx_rows(notice_docx(result, NoticeOptions(2025)))
    assert rows[0][1] == "甲公司"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis.land_yield", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=180)  # fmt: skip


def test_cli_objections_and_notices(tmp_path, reviewed):
    ev, firm = reviewed
    register = tmp_path / "异议登记.csv"
    register_table(ev.objections).to_csv(register, index=False, encoding="utf-8-sig")
    out, docx, xlsx = tmp_path / "r.xlsx", tmp_path / "n.docx", tmp_path / "n.xlsx"
    proc = run("--input", str(SAMPLE), "--objections", str(register), "--notice", str(docx), "--notice", str(xlsx),
               "--out", str(out))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "异议登记 1 条，类别调整 1 家" in proc.stdout
    results = pd.read_excel(out, sheet_name="评价结果", engine="openpyxl")
    row = results[results["统一社会信用代码"].astype(str) == firm["credit_code"]].iloc[0]
    assert (row["类别"], row["评价类别（异议复核前）"]) == ("B", "C")
    assert any(firm["credit_code"] == r[2] and "调整为 B 类" in r[3] for r in _docx_rows(docx.read_bytes()))
    assert "B类名单" in pd.read_excel(xlsx, sheet_name=None, engine="openpyxl")


@pytest.mark.parametrize(("content", "message"), [
    ("统一社会信用代码,异议内容\n91370200MA3C00001X,不服\n", "缺少列"),
    ("统一社会信用代码,决定,异议内容,复核理由\n91370200MA3C99999X,维持,不服,x\n", "第 2 行"),
])  # fmt: skip
def test_cli_refuses_a_register_it_cannot_use_and_writes_nothing(tmp_path, content, message):
    register = tmp_path / "reg.csv"
    register.write_text(content, encoding="utf-8")
    out = tmp_path / "r.xlsx"
    proc = run("--input", str(SAMPLE), "--objections", str(register), "--out", str(out))
    assert proc.returncode == 2 and message in proc.stderr and not out.exists()


def test_cli_keeps_an_entry_for_a_firm_of_another_run_and_says_it_is_not_applied(tmp_path):
    register = tmp_path / "reg.csv"
    register.write_text("统一社会信用代码,原类别,决定,复核后类别,异议内容,复核理由\n91370200MA3C99999X,C,调整,B,不服,复核\n",
                        encoding="utf-8")  # fmt: skip
    proc = run("--input", str(SAMPLE), "--objections", str(register), "--out", str(tmp_path / "r.csv"))
    assert proc.returncode == 0, proc.stderr
    assert "异议登记 1 条，类别调整 0 家" in proc.stdout and "不在本次评价结果中，未应用" in proc.stdout


def test_cli_refuses_two_outputs_to_one_file(tmp_path):
    proc = run("--input", str(SAMPLE), "--notice", str(tmp_path / "n.xlsx"), "--relocation", str(tmp_path / "n.xlsx"),
               "--out", str(tmp_path / "r.csv"))  # fmt: skip
    assert proc.returncode == 2 and "same file" in proc.stderr and not (tmp_path / "r.csv").exists()


def test_cli_refuses_a_notice_of_another_format(tmp_path):
    proc = run("--input", str(SAMPLE), "--notice", str(tmp_path / "n.pdf"), "--out", str(tmp_path / "r.xlsx"))
    assert proc.returncode == 2 and ".docx" in proc.stderr and not (tmp_path / "r.xlsx").exists()
