"""The workspace: round trips, a GeoPackage that GDAL/QGIS opens, migrations, kill -9, concurrency."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings

import pyogrio
import pytest
from sqlalchemy import text

from analysis.config import default_config
from analysis.land_yield import evaluate_table, read_enterprises
from analysis.project import make_project
from analysis.siting import rank_sites
from analysis.siting_context import build_context
from layers import load_layer, load_layers
from store import WorkspaceError, open_workspace
from store.schema import SCHEMA_VERSION, Dialect, migrate
from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "sample_enterprises.csv"
POSTGIS_URL = os.environ.get("QDP_TEST_POSTGIS_URL")


@pytest.fixture(scope="module")
def evaluation():
    return evaluate_table(read_enterprises(SAMPLE), default_config(), load_layer("districts"))


@pytest.fixture(scope="module")
def site_result():
    return rank_sites(make_project("食品", 50), build_context(load_layers()))


def _round_trip(ws, evaluation, site_result) -> None:
    data = SAMPLE.read_bytes()
    dfid = ws.save_dataset("样例企业", "enterprises", "sample_enterprises.csv", data, user="analyst1", n_features=3000)
    assert ws.dataset_content(dfid) == ("sample_enterprises.csv", data)
    run = ws.save_evaluation("2025 样例", evaluation, default_config().to_toml(), dataset_fid=dfid, user="analyst1")
    firms = ws.evaluation_firms(run)
    assert len(firms) == len(evaluation.result) and firms.crs.to_epsg() == 4326
    assert firms["class"].tolist() == evaluation.result["class"].tolist()
    located = ~evaluation.result.geometry.is_empty
    assert firms.geometry[located.to_numpy()].geom_equals_exact(evaluation.result.geometry[located], 1e-9).all()
    study = ws.save_site_study("食品项目", site_result, user="analyst1", top_plots=10)
    candidates = ws.site_candidates(study)
    assert (candidates["kind"] == "cluster").sum() == 14 and (candidates["kind"] == "plot").sum() == 10
    top = candidates[candidates["kind"] == "cluster"].iloc[0]
    assert top["name"] == site_result.clusters.iloc[0]["name"] and "【规划" in top["reasons"]
    assert ws.evaluations()["n_firms"].iloc[0] == 3000
    assert list(ws.audit_log()["action"]) == ["save_site_study", "save_evaluation", "save_dataset"]
    ws.delete("evaluation_runs", run, user="admin")
    assert ws.evaluation_firms(run).empty  # the firms went with their run


def test_geopackage_round_trip_and_gdal_reads_it(tmp_path, evaluation, site_result):
    path = tmp_path / "ws.gpkg"
    ws = open_workspace(path)
    assert ws.version == SCHEMA_VERSION and ws.integrity() == "ok"
    _round_trip(ws, evaluation, site_result)
    run = ws.save_evaluation("again", evaluation, "x = 1")
    ws.checkpoint()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # GDAL warns about anything that is not proper GeoPackage
        layers = dict(pyogrio.list_layers(path))
        firms = pyogrio.read_dataframe(path, layer="evaluation_firms", where=f"run_fid = {run}")
    assert layers["evaluation_firms"] == "Point" and {"site_candidates", "evaluation_runs", "users"} <= set(layers)
    assert len(firms) == 3000 and firms.crs.to_epsg() == 4326


@pytest.mark.skipif(not POSTGIS_URL, reason="set QDP_TEST_POSTGIS_URL (.ci/run starts PostgreSQL + PostGIS)")
def test_postgis_round_trip_with_the_same_code(evaluation, site_result):
    ws = open_workspace(POSTGIS_URL)
    with ws.engine.begin() as conn:  # a clean schema each run
        for table in ("site_candidates", "site_studies", "evaluation_firms", "evaluation_runs", "datasets",
                      "audit_log", "users", "ws_meta"):  # fmt: skip
            conn.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    ws = open_workspace(POSTGIS_URL)
    assert ws.dialect.name == "postgresql" and ws.version == SCHEMA_VERSION
    _round_trip(ws, evaluation, site_result)
    with ws.engine.connect() as conn:
        srid = conn.execute(text("SELECT DISTINCT ST_SRID(geom) FROM evaluation_firms")).scalars().all()
        assert srid == [] or srid == [4326]
        kinds = conn.execute(text("SELECT DISTINCT GeometryType(geom) FROM site_candidates WHERE geom IS NOT NULL"))
        assert set(kinds.scalars()) <= {"POLYGON", "MULTIPOLYGON"}


def test_an_old_workspace_is_migrated_and_keeps_its_records(tmp_path, evaluation):
    path = tmp_path / "old.gpkg"
    ws = open_workspace(path)  # build a version-1 file by hand, as an older program would have left it
    for table in ("audit_log", "datasets", "evaluation_firms", "evaluation_runs", "site_candidates", "site_studies",
                  "users"):  # fmt: skip
        with ws.engine.begin() as conn:
            conn.execute(text(f"DROP TABLE {table}"))
    with ws.engine.begin() as conn:
        conn.execute(text("DELETE FROM gpkg_geometry_columns"))
        conn.execute(text("DELETE FROM gpkg_contents"))
        conn.execute(text("DELETE FROM ws_meta"))
    assert migrate(ws.engine.begin, Dialect("sqlite"), upto=1) == 1
    with ws.engine.begin() as conn:
        conn.execute(text("INSERT INTO users (username, role, created_at) VALUES ('老用户', 'viewer', 'then')"))
        columns = [r[1] for r in conn.execute(text("PRAGMA table_info(datasets)"))]
    assert "n_features" not in columns
    again = open_workspace(path)
    assert again.version == SCHEMA_VERSION == again.schema_version()
    with again.engine.connect() as conn:
        assert conn.execute(text("SELECT username FROM users")).scalar_one() == "老用户"
    again.save_dataset("新", "config", "a.toml", b"x = 1", n_features=0)  # a v2 column, and the v2 audit log
    assert again.audit_log()["action"].tolist() == ["save_dataset"]


def test_a_workspace_from_a_newer_program_is_refused_clearly(tmp_path):
    ws = open_workspace(tmp_path / "new.gpkg")
    with ws.engine.begin() as conn:
        conn.execute(text("UPDATE ws_meta SET value = '99' WHERE key = 'schema_version'"))
    with pytest.raises(WorkspaceError, match="upgrade the program"):
        open_workspace(tmp_path / "new.gpkg")


def test_bad_locations_give_clear_errors(tmp_path):
    with pytest.raises(WorkspaceError, match="invalid workspace location"):
        open_workspace("nosuchdriver://x")
    (tmp_path / "junk.gpkg").write_bytes(b"this is not a database" * 100)
    with pytest.raises(WorkspaceError, match="cannot open the workspace"):
        open_workspace(tmp_path / "junk.gpkg")


SAVER = textwrap.dedent(
    """
    import sys
    from analysis.config import default_config
    from analysis.land_yield import evaluate_table, read_enterprises
    from layers import load_layer
    from store import open_workspace
    ws = open_workspace(sys.argv[1])
    ev = evaluate_table(read_enterprises(sys.argv[2]), default_config(), load_layer("districts"))
    print("ready", flush=True)
    for i in range(int(sys.argv[3])):
        fid = ws.save_evaluation(f"run {i}", ev, "x = 1", user=sys.argv[4])
        print(fid, flush=True)
    """
)


def test_kill_9_in_the_middle_of_saving_leaves_every_committed_run_intact(tmp_path):
    path = tmp_path / "ws.gpkg"
    open_workspace(path)
    proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path), str(SAMPLE), "1000", "killed"], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout.readline().strip() == "ready"
    committed = [int(proc.stdout.readline()) for _ in range(3)]
    time.sleep(0.05)  # the fourth save is under way: 3 000 firms in one transaction
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    ws = open_workspace(path)
    assert ws.integrity() == "ok"
    runs = ws.evaluations()
    assert set(committed) <= set(runs["fid"])
    for fid in runs["fid"]:  # every run present is complete: no half-written run survives
        assert len(ws.evaluation_firms(int(fid))) == 3000
    ws.save_evaluation("after the crash", evaluate_table(read_enterprises(SAMPLE), default_config()), "x = 1")


def test_concurrent_processes_save_without_losing_anything(tmp_path):
    path = tmp_path / "ws.gpkg"
    open_workspace(path)
    procs = [subprocess.Popen([sys.executable, "-c", SAVER, str(path), str(SAMPLE), "4", f"user{i}"], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True) for i in range(3)]  # fmt: skip
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    ws = open_workspace(path)
    runs = ws.evaluations()
    assert len(runs) == 12 and set(runs["created_by"]) == {"user0", "user1", "user2"}
    assert all(len(ws.evaluation_firms(int(f))) == 3000 for f in runs["fid"])
    assert ws.integrity() == "ok"
