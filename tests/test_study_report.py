"""The site-study report as DOCX and PDF (issue 14, 6): contents, rounding, fonts, both read back."""

from __future__ import annotations

import io
import re

import pytest

from analysis.siting.context import build_context
from analysis.siting.project import make_project
from analysis.siting.rank import rank_sites
from analysis.siting.scenarios import Scenario, compare, run_scenarios
from analysis.siting.sensitivity import sensitivity
from files.study_report import StudyReport, quality_notes, report_blocks, report_maps, study_report
from layers import load_layers
from layers.build import city_outline, context_land
from layers.siting_layers import exclusion_zones
from tests.plans import CONFIG, PLAN
from webmap.siting_map import SitingMapData

LONG_DECIMAL = re.compile(r"\d\.\d{3,}")  # 47.05882352941177: never in a table a committee reads


@pytest.fixture(scope="module")
def study():
    layers = load_layers()
    ctx = build_context(layers, PLAN, exclusion=exclusion_zones())
    project = make_project(PLAN, "新能源汽车零部件", 200, 80_000, 6_000)
    result = rank_sites(project, ctx, CONFIG, top_plots=10)
    no_plan = Scenario("不计规划符合度", CONFIG.with_changes(weights={**CONFIG.weights, "plan_fit": 0.0}))
    comparison = compare(run_scenarios(project, ctx, [Scenario("当前参数", CONFIG), no_plan]))
    data = SitingMapData(layers["clusters"], layers["axes"], exclusion_zones(), layers["transport_nodes"],
                         roads=layers["roads"])  # fmt: skip
    used = {k: layers[k] for k in ("clusters", "axes", "transport_nodes", "roads")}
    return result, data, comparison, used


def _report(study, lang: str, full: bool = True) -> StudyReport:
    result, data, comparison, used = study
    maps = report_maps(result, data, city_outline(), context_land(), lang, "2026-11-30", dpi=80)
    return StudyReport(result, lang, "2026-11-30", maps, sensitivity(result, 200) if full else None,
                       comparison if full else None, quality=quality_notes(used, lang))  # fmt: skip


def test_sections_are_numbered_without_gaps_and_say_sample_data_first(study):
    full = [b.text for b in report_blocks(_report(study, "zh")) if b.kind == "heading"]
    assert [h.split("、")[0] for h in full] == list("一二三四五六七八九")
    short = [b.text for b in report_blocks(_report(study, "zh", full=False)) if b.kind == "heading"]
    assert [h.split("、")[0] for h in short] == list("一二三四五六七") and short[-1].endswith("数据质量与说明")
    blocks = report_blocks(_report(study, "zh"))
    first_heading = next(i for i, b in enumerate(blocks) if b.kind == "heading")
    assert any("合成样例" in b.text for b in blocks[:first_heading] if b.kind == "note")


def test_the_docx_reads_back_with_chinese_headers_rounded_numbers_maps_and_marked_rank_changes(study):
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(study_report(_report(study, "zh"), "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "选址研究报告" in text and "四、集聚区排名" in text and "【规划四(二)】" in text
    assert "OpenStreetMap" in text and "ODbL" in text and "2026-11-30" in text
    assert len(doc.inline_shapes) == 2  # the overview and the detail map
    assert doc.styles["Normal"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
    headers = [[c.text for c in table.rows[0].cells] for table in doc.tables]
    assert headers[3][:4] == ["排名", "名称", "得分", "合规性"]  # the ranked clusters
    for table in doc.tables:
        for row in table.rows[1:]:
            assert not any(LONG_DECIMAL.search(c.text) for c in row.cells), [c.text for c in row.cells]
    result, _, comparison, _ = study
    ranking = doc.tables[3]
    assert [r.cells[1].text for r in ranking.rows[1:]] == result.clusters["name"].tolist()
    scenarios = doc.tables[-1]
    shaded = [r for r, row in enumerate(scenarios.rows[1:]) if "FDE68A" in row.cells[3]._tc.xml]
    assert shaded == [r for r, c in enumerate(comparison.clusters["change_1"]) if c != 0] and shaded


def test_the_pdf_reads_back_with_embedded_fonts_map_pages_and_the_same_text(study):
    import pypdf

    data = study_report(_report(study, "zh"), "pdf")
    pdf = pypdf.PdfReader(io.BytesIO(data))
    assert pdf.metadata.title == "选址研究报告 · 新能源汽车零部件"
    pages = [p.extract_text() for p in pdf.pages]
    text = "\n".join(pages)
    for needle in ("选址研究报告", "一、项目", "四、集聚区排名", "六、理由", "七、排名稳定性", "八、方案比较",
                   "【规划四(二)】", "路网距离", "OpenStreetMap", "可供地块为合成样例数据"):  # fmt: skip
        assert needle in text, needle
    result = study[0]
    assert all(name in text for name in result.clusters["name"].head(5))
    landscape = [p for p in pdf.pages if p.mediabox.width > p.mediabox.height]
    assert len(landscape) == 2
    for page in landscape:  # each map page carries the map sheet as an image
        xobjects = page["/Resources"]["/XObject"].get_object()
        assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())
    fonts = {str(f.get_object()["/BaseFont"]) for p in pdf.pages for f in p["/Resources"]["/Font"].values()}
    assert any("CJK" in f for f in fonts)  # the Chinese face is embedded, not referenced
    assert all(f"· {i + 1}" in page for i, page in enumerate(pages))  # page numbers in the footers


def test_an_english_report_has_english_headings(study):
    blocks = report_blocks(_report(study, "en", full=False))
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert headings[0] == "1. The project" and headings[-1] == "7. Data quality and notes"
    assert not any(re.search(r"[\u4e00-\u9fff]", h) for h in headings)


def test_the_cli_writes_the_report_and_refuses_other_suffixes(tmp_path, capsys):
    import pypdf

    from cli.siting import main

    base = ["--industry", "食品", "--land-mu", "50", "--top", "3"]
    out = tmp_path / "报告.pdf"
    assert main([*base, "--report", str(out), "--sensitivity", "100"]) == 0
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    assert "排名稳定性" in text and "食品" in text
    docx = tmp_path / "report.docx"
    assert main([*base, "--report", str(docx), "--lang", "en"]) == 0 and docx.stat().st_size > 10_000
    capsys.readouterr()
    assert main([*base, "--report", str(tmp_path / "report.odt")]) == 2
    assert ".docx" in capsys.readouterr().err and not (tmp_path / "report.odt").exists()
