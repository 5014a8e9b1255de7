"""Several sessions at once (Streamlit runs each in a thread): the analysis gives the same answers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pandas as pd

from analysis.land_yield.config import default_config
from analysis.land_yield.pipeline import evaluate_table
from analysis.siting.context import build_context
from analysis.siting.project import make_project
from analysis.siting.rank import rank_sites
from files.enterprises import read_enterprises
from layers import load_layer, load_layers
from layers.imports import import_layer
from tests.conftest import ROOT
from tests.plans import CONFIG, PLAN

SAMPLE = ROOT / "data" / "sample_enterprises.csv"
BAD = ROOT / "tests" / "data" / "bad"


def _evaluate(_: int) -> pd.DataFrame:
    ev = evaluate_table(read_enterprises(SAMPLE), default_config(), load_layer("districts"))
    return ev.result[["name", "score", "class"]]


def _rank(term: str) -> list[tuple[str, float]]:
    result = rank_sites(make_project(PLAN, term, 60), build_context(load_layers(), PLAN), CONFIG)
    return list(zip(result.clusters["id"], result.clusters["score"].round(9), strict=True))


def test_parallel_evaluations_and_site_queries_match_the_sequential_ones():
    expected_eval = _evaluate(0)
    terms = ["食品", "高端化工", "集成电路", "轨道交通装备"] * 2
    expected_rank = {t: _rank(t) for t in set(terms)}
    with ThreadPoolExecutor(max_workers=6) as pool:
        evals = list(pool.map(_evaluate, range(4)))
        ranks = list(pool.map(_rank, terms))
        imports = list(pool.map(lambda _: len(import_layer(BAD / "shapefile_no_shx.zip", "plots").gdf), range(6)))
    assert all(e.equals(expected_eval) for e in evals)
    assert all(r == expected_rank[t] for r, t in zip(ranks, terms, strict=True))
    assert imports == [1] * 6
