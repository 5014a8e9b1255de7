"""Findings, not sentences: analysis returns codes and parameters; one renderer writes zh or en."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.findings import Finding, bilingual
from analysis.siting.context import build_context
from analysis.siting.location import describe_area, describe_point
from analysis.siting.project import make_project
from analysis.siting.rank import rank_sites, verdict_at
from i18n.render import codes, location_lines, render, render_all
from layers import load_layers
from store.workspace import findings_from_json
from tests.plans import CONFIG, PLAN

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def ctx():
    return build_context(load_layers(), PLAN)


def _all_findings(ctx) -> list[Finding]:
    """Findings from rankings, points and areas for projects that meet and miss every rule."""
    import shapely

    out: list[Finding] = []
    for term, land, inv, tax in (("新能源汽车零部件", 200, 100, 10), ("高端化工", 50, 80_000, 6_000),
                                 ("智能家电", 20_000, None, None), ("机器人", 30, 50_000, 3_000)):  # fmt: skip
        project = make_project(PLAN, term, land, inv, tax)
        result = rank_sites(project, ctx, CONFIG, top_plots=30)
        out += result.notes
        for frame in (result.clusters, result.plots):
            for found in [*frame["reasons"], *frame["failures"]]:
                out += found
        for lon, lat in ((120.31, 36.33), (120.60, 36.18), (120.05, 36.75)):
            verdict = verdict_at(project, ctx, CONFIG, lon, lat)
            out += verdict["failures"] + verdict["reasons"]  # type: ignore[operator]
        area = describe_area(shapely.box(120.30, 36.30, 120.32, 36.32), ctx, project, CONFIG)
        out += area.failures + list(area.fit.findings)
    return out


def test_every_finding_renders_in_both_languages_and_english_has_no_chinese_sentences(ctx):
    straight = build_context({k: v for k, v in load_layers().items() if k != "roads"}, PLAN)  # no road network
    found = _all_findings(ctx) + _all_findings(straight)
    seen = {f.code for f in found}
    assert seen <= set(codes()), seen - set(codes())
    # the ones a planner must see at least once in these runs
    assert {"fit.concentrate", "fit.axis", "rule.chemical", "rule.standard_land", "rule.land", "reason.score",
            "reason.nearest_node", "reason.nearest_node_road", "reason.cluster_land", "reason.plot_area",
            "note.sample_plots"} <= seen  # fmt: skip
    for f in set(found):
        zh, en = render(f, "zh"), render(f, "en")
        assert (zh and en and zh != en) or f.code in ("legacy.text",), (f, zh, en)
        assert CJK.search(zh), (f.code, zh)
        if f.code not in ("fit.concentrate", "fit.reserve", "note.special_park", "note.sample_plots",
                          "note.sample_exclusion", "rule.exclusion_overlap", "rule.exclusion_inside"):  # fmt: skip
            # quotes of the plan and names that only exist in Chinese stay Chinese, nothing else does
            assert "【" not in en and "不符合" not in en, (f.code, en)


def test_failures_are_found_by_code_and_severity_not_by_text(ctx):
    project = make_project(PLAN, "新能源汽车零部件", 200, 100)  # 0.5 万元/亩: misses 标准地
    result = rank_sites(project, ctx, CONFIG)
    top = result.clusters.iloc[0]
    assert not top["compliant"]
    assert [f.code for f in top["failures"]] == ["rule.standard_land"] and all(f.failed for f in top["failures"])
    assert [f.severity for f in result.notes if f.code == "rule.standard_land"] == ["fail"]
    assert all(not f.failed for f in top["reasons"])


def test_params_are_data_and_round_trip_through_json():
    f = Finding("reason.cluster_land", params={"count": 3, "free": 1200.5, "largest": 600.0, "need": 200.0})
    again = Finding.from_dict(json.loads(json.dumps(f.to_dict())))
    assert (
        again == f
        and render(again, "en") == "free land: 3 plots large enough, 1,200 mu in all; largest 600 mu (need 200 mu)"
    )
    with pytest.raises(ValueError):
        Finding("x", severity="fatal")  # type: ignore[arg-type]
    assert Finding("x", params={"v": float("nan")}).params["v"] is None  # never NaN in JSON


def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(KeyError):
        render(Finding("no.such.code"))


def test_the_location_report_renders_in_either_language(ctx):
    report = describe_point(120.31, 36.33, ctx, make_project(PLAN, "轨道交通装备", 100), CONFIG)
    zh, en = location_lines(report, "zh"), location_lines(report, "en")
    assert len(zh) == len(en) and any("【规划四(二)】" in line for line in zh)
    assert any(line.startswith("[Plan 四(二)]") for line in en)
    assert json.loads(json.dumps(report.as_dict(), ensure_ascii=False))["reasons"][0]["code"] == "fit.concentrate"


def test_a_saved_study_reopens_in_the_other_language(tmp_path, ctx):
    from store.workspace import open_workspace

    ws = open_workspace(tmp_path / "ws.gpkg", create=True)
    result = rank_sites(make_project(PLAN, "智能家电", 120, 60_000, 3_000), ctx, CONFIG)
    study = ws.save_site_study("平度家电", result, user="tester")
    candidates = ws.site_candidates(study)
    top = candidates[candidates["kind"] == "cluster"].iloc[0]
    zh, en = render_all(top["reasons"], "zh"), render_all(top["reasons"], "en")
    assert any("【规划四(二)】" in line for line in zh) and not any("【规划" in line for line in en)
    assert any(line.startswith("[Plan 四(二)]") for line in en)


def test_studies_saved_before_findings_keep_their_text():
    old = "【规划四(二)】推进智能家电向平度智能家电产业集聚区集聚\n距胶州-平度轴带中心线 0.0 km（示意线）"
    found = findings_from_json(old)
    assert [f.code for f in found] == ["legacy.text", "legacy.text"]
    assert render_all(found, "zh") == old.splitlines()
    assert all("saved in Chinese only" in line for line in render_all(found, "en"))
    assert findings_from_json(None) == [] and findings_from_json("") == []


def test_bilingual_names_fall_back_to_chinese():
    assert bilingual("青岛", "") == {"zh": "青岛", "en": "青岛"}


@settings(max_examples=200, deadline=None)
@given(
    minimum=st.floats(0.001, 1e5, allow_nan=False),
    shortfall=st.floats(1e-6, 0.999, allow_nan=False),
)
def test_a_failed_threshold_always_reads_as_a_strict_inequality(minimum, shortfall):
    """Issue 12 (12): one decimal for both numbers wrote rules like "0.2 … < 0.2"."""
    value = minimum * (1 - shortfall)
    if round(value, 6) == round(minimum, 6):
        return  # closer than the finest decimals shown
    params = {
        "basis": "standard_basis_default",
        "name": "standard_tax",
        "value": value,
        "minimum": minimum,
        "unit": "万元/亩",
    }
    for lang in ("zh", "en"):
        text = render(Finding("rule.standard_land", "fail", "六(三)", params), lang)
        shown, limit = (float(n.replace(",", "")) for n in re.findall(r"([\d,]+\.\d+) 万元/亩", text))
        assert shown < limit, text
