"""The site-study report: DOCX and PDF (issue 14, 6) next to today's XLSX workbook, in one run.

Run: ``python -m benchmarks.report``. Ranks the bundled sample (600 synthetic plots) for one project with
1,000 sensitivity draws and two scenarios, then times, median of 3: the maps (overview and detail, A4 at
150 dpi), the whole DOCX report and the whole PDF report (goal ≤ 5 s each, maps included), and the XLSX
workbook the page offered before (:func:`files.siting_report.site_report_sheets`), which has no map.
"""

from __future__ import annotations

import time

import numpy as np

from analysis.siting.context import build_context
from analysis.siting.project import make_project
from analysis.siting.rank import rank_sites
from analysis.siting.scenarios import Scenario, compare, run_scenarios
from analysis.siting.sensitivity import sensitivity
from files.siting_report import site_report_sheets
from files.study_report import StudyReport, quality_notes, report_maps, study_report
from files.xlsx import xlsx_bytes
from layers import load_layers
from layers.build import city_outline, context_land
from layers.plan import load_plan
from layers.siting_layers import exclusion_zones
from webmap.siting_map import SitingMapData


def _median(run, times: int = 3) -> tuple[float, object]:
    spent, out = [], None
    for _ in range(times):
        start = time.perf_counter()
        out = run()
        spent.append(time.perf_counter() - start)
    return float(np.median(spent)), out


def main() -> None:
    from analysis.siting.config import load_siting_config

    plan = load_plan()
    layers = load_layers()
    config = load_siting_config(None, plan)
    ctx = build_context(layers, plan, exclusion=exclusion_zones())
    project = make_project(plan, "新能源汽车零部件", 200, 80_000, 6_000)
    result = rank_sites(project, ctx, config, top_plots=10)
    stability = sensitivity(result, 1000)
    no_plan = Scenario("不计规划符合度", config.with_changes(weights={**config.weights, "plan_fit": 0.0}))
    comparison = compare(run_scenarios(project, ctx, [Scenario("当前参数", config), no_plan]))
    data = SitingMapData(layers["clusters"], layers["axes"], exclusion_zones(), layers["transport_nodes"],
                         roads=layers["roads"])  # fmt: skip
    used = {k: layers[k] for k in ("clusters", "axes", "transport_nodes", "roads")}
    land, context = city_outline(), context_land()

    quality = quality_notes(used, "zh")

    def report(fmt: str) -> bytes:
        maps = report_maps(result, data, land, context, "zh", "2026-11-30")
        content = StudyReport(result, "zh", "2026-11-30", maps, stability, comparison, quality=quality)
        return study_report(content, fmt)  # type: ignore[arg-type]

    maps_s, _ = _median(lambda: report_maps(result, data, land, context, "zh", "2026-11-30"))
    docx_s, docx = _median(lambda: report("docx"))
    pdf_s, pdf = _median(lambda: report("pdf"))
    xlsx_s, xlsx = _median(lambda: xlsx_bytes(site_report_sheets(result, "zh")))
    print("site-study report (新能源汽车零部件 200 亩; 600 sample plots; 1,000 draws; 2 scenarios), median of 3")
    print(f"  the two maps (A4, 150 dpi):          {maps_s:5.2f} s")
    print(f"  DOCX report, maps included:          {docx_s:5.2f} s   ({len(docx) / 1e6:.1f} MB; goal ≤ 5 s)")  # type: ignore[arg-type]
    print(f"  PDF report, maps included:           {pdf_s:5.2f} s   ({len(pdf) / 1e6:.1f} MB; goal ≤ 5 s)")  # type: ignore[arg-type]
    print(f"  before: the XLSX workbook (no map):  {xlsx_s:5.2f} s   ({len(xlsx) / 1e6:.2f} MB)")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
