"""The site-selection workbook a committee reads (issue 12, defect 11): words, rounded numbers, either language."""

from __future__ import annotations

import io

import openpyxl
import pytest

from analysis.siting.context import build_context
from analysis.siting.project import make_project
from analysis.siting.rank import rank_sites
from files.siting_report import site_report_sheets
from files.xlsx import xlsx_bytes
from layers import load_layers
from tests.plans import CONFIG, PLAN


@pytest.fixture(scope="module")
def result():
    return rank_sites(
        make_project(PLAN, "新能源汽车零部件", 200, 80_000, 6_000), build_context(load_layers(), PLAN), CONFIG
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workbook_has_readable_headers_rounded_numbers_and_no_true_false(result, lang):
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(site_report_sheets(result, lang))))
    clusters = book.worksheets[1]
    headers = [c.value for c in clusters[1]]
    assert not any(h.startswith("pts_") or h in ("site_ok", "compliant", "fit_level") for h in headers), headers
    values = [c.value for row in clusters.iter_rows(min_row=2) for c in row]
    assert not any(isinstance(v, bool) for v in values)  # 1 == True: compare types, not values
    numbers = [v for v in values if isinstance(v, float)]
    assert numbers and all(round(v, 1) == v for v in numbers)
    widths = [clusters.column_dimensions[c.column_letter].width for c in clusters[1]]
    assert max(widths) >= 30  # the reasons column is wide enough to read
    text = "\n".join(str(v) for v in values if isinstance(v, str))
    if lang == "zh":
        assert "【规划四(二)】" in text and book.sheetnames[1] == "集聚区排名"
    else:
        assert "[Plan 四(二)]" in text and "【规划" not in text and book.sheetnames[1] == "Clusters"
