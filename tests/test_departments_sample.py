"""The synthetic departments' tables over five years (issue 13, 9): plausible, joinable, labelled synthetic."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from analysis.land_yield.config import default_config
from analysis.land_yield.pipeline import Source, evaluate_sources
from layers import load_layers
from samples.departments import SOURCES, department_tables, main, synthetic_years

LAYERS = load_layers(["districts", "clusters"])


@pytest.fixture(scope="module")
def years():
    return synthetic_years(400, LAYERS["districts"], LAYERS["clusters"], range(2021, 2026), seed=7)


def test_the_same_seed_gives_the_same_tables(years):
    again = synthetic_years(400, LAYERS["districts"], LAYERS["clusters"], range(2021, 2026), seed=7)
    assert all(years[y].equals(again[y]) for y in years)


def test_firms_drift_plausibly_from_year_to_year(years):
    first, last = years[2021].set_index("credit_code"), years[2025].set_index("credit_code")
    both = first.index.intersection(last.index)
    idle = (first.loc[both, "tax"] == 0) & (first.loc[both, "revenue"] == 0)  # stood idle in 2021 (低效用地)
    assert 0.002 < idle.mean() < 0.03 and not ((last["tax"] == 0) & (last["revenue"] == 0)).any()
    both = both[~idle.to_numpy()]
    growth = (last.loc[both, "tax"] / first.loc[both, "tax"]) ** (1 / 4) - 1
    assert 0.0 < growth.median() < 0.1 and (growth < 0).any()  # most grow a little, some shrink
    assert np.corrcoef(np.log(first.loc[both, "tax"]), np.log(last.loc[both, "tax"]))[0, 1] > 0.8
    assert len(last.index.difference(first.index)) > 0 and len(first.index.difference(last.index)) > 0  # in and out
    assert (last["year"] == 2025).all() and last["synthetic"].str.contains("合成").all()
    assert (years[2025]["power_kwh"] > 0).mean() > 0.5 and (years[2025]["water_t"] > 0).mean() > 0.5


def test_each_year_joins_back_into_its_firms(years):
    config = dataclasses.replace(default_config(), evaluation_year=2024)
    tables = department_tables(years[2024], seed=3)
    assert list(tables) == list(SOURCES)
    ev = evaluate_sources([Source(name, frame.astype(str).replace("nan", "")) for name, frame in tables.items()],
                          config)  # fmt: skip
    counts = ev.accounting()
    assert counts["input"] == sum(len(t) for t in tables.values())
    coded = ev.result[ev.result["credit_code"] != ""].set_index("credit_code")
    assert set(coded.index) == set(years[2024]["credit_code"])  # every firm, codes typed by hand matched too
    truth = years[2024].set_index("credit_code").loc[coded.index]
    assert np.allclose(coded["land_mu"], truth["land_mu"], rtol=1e-3)  # parcels in m² added back to 亩
    power = np.isclose(coded["power_kwh"], truth["power_kwh"], rtol=1e-3, equal_nan=True)
    assert (~power).sum() == (tables["能耗"]["统一社会信用代码"] == "").sum()  # but for the rows without a code
    assert ev.synthetic and len(ev.joined.conflicts) > 0  # a few names differ, as in real deliveries


def test_one_year_is_as_many_firms_as_asked():
    one = synthetic_years(60, LAYERS["districts"], LAYERS["clusters"], range(2025, 2026), seed=2)
    assert list(one) == [2025] and len(one[2025]) <= 60


def test_the_command_writes_each_year(tmp_path):
    assert main(["--n", "50", "--years", "2024-2025", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in (tmp_path / "2025").iterdir()) == sorted(f"{s}.csv" for s in SOURCES)
    assert main(["--n", "50", "--years", "2025-2021", "--out", str(tmp_path)]) == 2


def test_the_last_sample_year_is_the_bundled_sample():
    """The page's default data compares with the earlier sample years: the same firms, the same figures."""
    import pandas as pd

    from tests.conftest import ROOT

    bundled = pd.read_csv(ROOT / "data" / "sample_enterprises.csv", skiprows=1).set_index("统一社会信用代码")
    last = synthetic_years(3000, LAYERS["districts"], LAYERS["clusters"], range(2024, 2026))[2025]
    last = last.set_index("credit_code")
    assert set(last.index) == set(bundled.index)
    assert np.allclose(last.loc[bundled.index, "tax"], bundled["税收(万元)"])
