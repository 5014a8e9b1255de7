"""The same question gets the same answer everywhere: ranking, point query, CLI ``--at`` and raster.

Issue 11 measured a ranking that called 即墨汽车制造产业集聚区 non-compliant with 91.5 points while a
click on it said compliant with 85.7. Every verdict now comes from :func:`analysis.siting.assess.assess`;
this property test draws projects (any plan term, land, investment and tax — passing or failing
标准地) and places (raster cells anywhere on land), and checks that the point query, the ``--at``
verdict and the raster cell agree with the ranking's row for the plot or cluster there.
"""

from __future__ import annotations

import functools
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.siting.context import build_context
from analysis.siting.location import describe_point
from analysis.siting.project import make_project
from analysis.siting.rank import rank_sites, verdict_at
from analysis.siting.suitability import suitability_surface
from cli.siting import main
from geo.crs import to_wgs84_xy
from layers import load_layers
from layers.build import city_outline
from tests.plans import CONFIG, PLAN

CELL_M = 1000.0  # a coarse raster keeps each example fast; the rule is the same at any cell size


@functools.cache
def _ctx():
    return build_context(load_layers(), PLAN)


@functools.cache
def _land():
    return city_outline()


TERMS = sorted({t.term for t in PLAN.terms if not t.term.isascii()} | {s.word for s in PLAN.synonyms})

projects = st.builds(
    lambda term, land, inv, tax: make_project(PLAN, term, land, inv, tax),
    st.sampled_from(TERMS),
    st.floats(5, 3_000),
    st.one_of(st.none(), st.floats(0, 2e6)),
    st.one_of(st.none(), st.floats(0, 2e5)),
)


def _ranked_row(result, unit: str, ident):
    frame = result.plots if unit == "plot" else result.clusters
    return frame.set_index("id").loc[ident]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(project=projects, picks=st.lists(st.integers(0, 10**9), min_size=4, max_size=4), data=st.data())
def test_point_query_raster_and_ranking_agree(project, picks, data):
    ctx = _ctx()
    result = rank_sites(project, ctx, CONFIG, top_plots=1)
    surface = suitability_surface(project, ctx, _land(), CONFIG, cell_m=CELL_M)
    rows, cols = np.indices(surface.values.shape).reshape(2, -1)
    # cells anywhere on the raster's grid, plus the centres of plots and clusters (where rankings speak)
    t = surface.transform
    xs = list(t.c + (cols + 0.5) * CELL_M)
    ys = list(t.f - (rows + 0.5) * CELL_M)
    chosen = [(xs[p % len(xs)], ys[p % len(ys)]) for p in picks]
    for frame in (ctx.plots, ctx.clusters):
        g = frame.geometry.iloc[data.draw(st.integers(0, len(frame) - 1))].representative_point()
        chosen.append((g.x, g.y))
    for x, y in chosen:
        lon, lat = (float(v[0]) for v in to_wgs84_xy(np.array([x]), np.array([y])))
        try:
            verdict = verdict_at(project, ctx, CONFIG, lon, lat)
        except ValueError:  # the sea or outside the city: no verdict, and the raster has none either
            col, row = ~t @ (x, y)
            if 0 <= int(row) < surface.values.shape[0] and 0 <= int(col) < surface.values.shape[1]:
                assert np.isnan(surface.values[int(row), int(col)])
            continue
        report = describe_point(lon, lat, ctx, project, CONFIG)
        assert report.compliant == verdict["compliant"]
        assert report.score == pytest.approx(verdict["score"], abs=0.006)
        assert report.unit == verdict["unit"]
        if verdict["unit"] != "spot":  # the ranking's own row for that plot or cluster
            ranked = _ranked_row(result, verdict["unit"], verdict["id"])
            assert bool(ranked["compliant"]) == verdict["compliant"]
            assert round(float(ranked["score"]), 2) == pytest.approx(verdict["score"], abs=0.006)
            assert ranked["fit_level"] == verdict["fit_level"]
        # the raster cell whose centre this is (only grid centres are compared with the raster)
        col, row = ~t @ (x, y)
        centre = abs(col - int(col) - 0.5) < 1e-6 and abs(row - int(row) - 0.5) < 1e-6
        if centre:
            cell = float(surface.values[int(row), int(col)])
            site_ok = all(f.code == "rule.standard_land" for f in verdict["failures"])  # 标准地 is the project's
            if site_ok:
                assert cell == pytest.approx(verdict["score"], abs=0.006)
            else:
                assert np.isnan(cell)


def test_the_cli_at_verdict_equals_the_ranking_for_every_cluster(capsys):
    """For a project that passes 标准地 and one that fails it (the issue's 100 万元 investment)."""
    ctx = _ctx()
    for investment in (80_000, 100):
        project = make_project(PLAN, "新能源汽车零部件", 200, investment, 6_000)
        result = rank_sites(project, ctx, CONFIG)
        for row in result.clusters.itertuples():
            polygon = ctx.clusters.set_index("id").loc[row.id].geometry
            inside = polygon.representative_point()
            in_plot = ctx.plots.geometry.contains(inside)
            if in_plot.any():  # a point in a plot gets the plot's verdict; pick one outside every plot
                free = polygon.difference(ctx.plots.geometry.union_all())
                inside = free.representative_point()
            lon, lat = (float(v[0]) for v in to_wgs84_xy(np.array([inside.x]), np.array([inside.y])))
            args = ["--industry", "新能源汽车零部件", "--land-mu", "200", "--investment-wan", str(investment),
                    "--tax-wan", "6000", "--at", f"{lon},{lat}", "--json"]  # fmt: skip
            assert main(args) == 0
            out = json.loads(capsys.readouterr().out)
            assert out["unit"] == "cluster" and out["id"] == row.id and out["cluster"] == row.name
            assert out["compliant"] == bool(row.compliant)
            assert out["score"] == pytest.approx(round(row.score, 2), abs=0.006)
            assert out["fit_level"] == row.fit_level
            assert set(out) >= {"compliant", "score", "cluster", "fit_level", "failures", "reasons"}
        assert result.clusters["compliant"].any() == (investment == 80_000)
