"""The workspace: round trips, a GeoPackage that GDAL/QGIS opens, migrations, kill -9, concurrency,
command lines that never create a workspace by accident, online backups (GeoPackage and PostGIS)."""

from __future__ import annotations

import io
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import pyogrio
import pytest
from sqlalchemy import text

from analysis.land_yield.config import default_config
from analysis.land_yield.objections import make_objection
from analysis.land_yield.pipeline import apply_objections_to, evaluate_table
from analysis.siting.context import build_context
from analysis.siting.project import make_project
from analysis.siting.rank import rank_sites
from analysis.siting.scenarios import Scenario, load_scenario
from files.enterprises import read_enterprises
from layers import load_layer, load_layers
from store import WorkspaceError, open_workspace
from store import users as u
from store import workspace as w
from store.schema import SCHEMA_VERSION, Dialect, migrate
from tests.conftest import ROOT, missing_dependency
from tests.plans import CONFIG, PLAN, zh

SAMPLE = ROOT / "data" / "sample_enterprises.csv"


@pytest.fixture
def postgis_url() -> str:
    """A PostgreSQL + PostGIS database for the tests (scripts/test.sh starts one); skipped without, failed in CI."""
    url = os.environ.get("QDP_TEST_POSTGIS_URL")
    if not url:
        missing_dependency("set QDP_TEST_POSTGIS_URL (scripts/test.sh starts PostgreSQL + PostGIS)")
    return url


@pytest.fixture(scope="module")
def evaluation():
    return evaluate_table(read_enterprises(SAMPLE), default_config(), load_layer("districts"))


@pytest.fixture(scope="module")
def site_result():
    return rank_sites(make_project(PLAN, "食品", 50), build_context(load_layers(), PLAN), CONFIG)


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
    firm = evaluation.result[evaluation.result["class"] == "D"].iloc[0]
    objection = make_objection(evaluation.result, firm["credit_code"], "税收漏计", "changed", "C", "补录后复核")
    ws.record_objection(run, objection, user="analyst1")
    stored = ws.objections(run)
    assert [(o.credit_code, o.class_before, o.class_after, o.recorded_by) for o in stored] == [
        (firm["credit_code"], "D", "C", "analyst1")]  # fmt: skip
    with pytest.raises(WorkspaceError, match="no evaluation run"):
        ws.record_objection(run + 999, objection, user="analyst1")
    reviewed = apply_objections_to(evaluation, [objection])  # saved with the register in force: classes as evaluated
    again = ws.save_evaluation("2025 复核后", reviewed, default_config().to_toml(), user="analyst1")
    assert ws.evaluation_firms(again)["class"].tolist() == evaluation.result["class"].tolist()
    ws.delete("evaluation_runs", again, user="analyst1")
    study = ws.save_site_study("食品项目", site_result, user="analyst1", top_plots=10)
    candidates = ws.site_candidates(study)
    assert (candidates["kind"] == "cluster").sum() == 14 and (candidates["kind"] == "plot").sum() == 10
    top = candidates[candidates["kind"] == "cluster"].iloc[0]
    assert top["name"] == site_result.clusters.iloc[0]["name"] and any("【规划" in r for r in zh(top["reasons"]))
    assert ws.evaluations()["n_firms"].iloc[0] == 3000
    first = Scenario("生态优先", CONFIG, corridor_half_width_m=3000.0, exclusion=True)
    ws.save_scenario(first.name, first.to_toml(), user="analyst1")
    ws.save_scenario("无禁建区", Scenario("无禁建区", CONFIG, exclusion=False).to_toml(), user="analyst1")
    newer = Scenario("生态优先", CONFIG.with_changes(speed_kmh=40.0), corridor_half_width_m=2000.0)
    ws.save_scenario(newer.name, newer.to_toml(), user="analyst1")  # the same name again: a new version
    stored_scenarios = ws.scenarios()
    assert stored_scenarios["name"].tolist() == ["无禁建区", "生态优先"]
    back = load_scenario(stored_scenarios["scenario_toml"].iloc[1].encode("utf-8"), PLAN)
    assert back == newer and not load_scenario(stored_scenarios["scenario_toml"].iloc[0].encode("utf-8")).exclusion
    ws.delete("site_scenarios", int(stored_scenarios["fid"].iloc[0]), user="analyst1")
    assert ws.scenarios()["name"].tolist() == ["生态优先"]
    log = ws.audit_log()
    assert list(log["action"]) == ["delete", "save_scenario", "save_scenario", "save_scenario", "save_site_study",
                                   "delete", "save_evaluation", "record_objection", "save_evaluation",
                                   "save_dataset"]  # fmt: skip
    assert f"{firm['credit_code']}" in log["detail"].iloc[7] and "D→C (changed)" in log["detail"].iloc[7]
    ws.delete("evaluation_runs", run, user="admin")
    assert ws.evaluation_firms(run).empty and ws.objections(run) == []  # the firms and the register went with it


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


def test_postgis_round_trip_with_the_same_code(evaluation, site_result, postgis_url):
    ws = open_workspace(postgis_url)
    with ws.engine.begin() as conn:  # a clean schema each run
        for table in ("site_scenarios", "objections", "site_candidates", "site_studies", "evaluation_firms",
                      "evaluation_runs", "datasets", "audit_log", "users", "ws_meta"):  # fmt: skip
            conn.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    ws = open_workspace(postgis_url)
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
    for table in ("site_scenarios", "objections", "audit_log", "datasets", "evaluation_firms", "evaluation_runs",
                  "site_candidates", "site_studies", "users"):  # fmt: skip
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
    from analysis.land_yield.config import default_config
    from analysis.land_yield.pipeline import evaluate_table
    from files.enterprises import read_enterprises
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


# ---- command lines never create a workspace by accident -------------------------------------
def test_command_lines_refuse_a_missing_workspace_until_init_creates_it(tmp_path, capsys, monkeypatch):
    path = tmp_path / "team" / "workspace.gpkg"
    assert w.main(["--workspace", str(path), "backup", str(tmp_path / "b.gpkg")]) == 2
    err = capsys.readouterr().err
    assert "工作空间不存在" in err and "no workspace at" in err and f"--workspace {path} init" in err
    assert not path.parent.exists()
    with pytest.raises(WorkspaceError, match="no workspace at"):
        open_workspace(path, create=False)
    assert not path.parent.exists()
    assert w.main(["init", "--workspace", str(path)]) == 0  # the explicit way to create one
    assert "workspace ready" in capsys.readouterr().out and path.is_file()
    monkeypatch.setattr("sys.stdin", io.StringIO("a very good password\n"))
    assert u.main(["--workspace", str(path), "add", "admin1", "--role", "admin", "--password-stdin"]) == 0
    assert w.main(["--workspace", str(path), "init"]) == 0  # init again: the workspace is kept
    assert open_workspace(path, create=False).query("SELECT username FROM users")["username"].tolist() == ["admin1"]
    (tmp_path / "empty.gpkg").touch()  # an empty file is no workspace either
    assert u.main(["--workspace", str(tmp_path / "empty.gpkg"), "list"]) == 2
    # the app still creates its default workspace on first start (views.state opens it with create=True)
    assert open_workspace(tmp_path / "app" / "workspace.gpkg").version == SCHEMA_VERSION


def test_another_geopackage_is_never_turned_into_a_workspace(tmp_path, capsys):
    other = tmp_path / "plots.gpkg"
    pyogrio.write_dataframe(load_layer("districts").head(2), other, layer="districts", driver="GPKG")
    before = other.read_bytes()
    for create in (True, False):
        with pytest.raises(WorkspaceError, match="not a workspace"):
            open_workspace(other, create=create)
    assert u.main(["--workspace", str(other), "list"]) == 2
    assert w.main(["--workspace", str(other), "init"]) == 2
    assert "not a workspace" in capsys.readouterr().err
    assert other.read_bytes() == before  # not even its journal mode changed


def test_the_workspace_command_line_exits_2_with_one_bilingual_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "store.workspace", "--workspace", str(tmp_path / "typo.gpkg"),
                           "backup", str(tmp_path / "b.gpkg")], cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("错误 / error: 工作空间不存在") and "Warning" not in done.stderr
    assert not (tmp_path / "typo.gpkg").exists()


# ---- backups ---------------------------------------------------------------------------------
def _users_in(path) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT username FROM users ORDER BY username")]
    finally:
        conn.close()


def test_backup_includes_records_still_in_the_write_ahead_log(tmp_path, capsys):
    path = tmp_path / "workspace.gpkg"
    ws = open_workspace(path)
    u.add_user(ws, "zhang", "long enough pw", "analyst")  # through the app's own engine (connection kept open)
    writer = sqlite3.connect(path)  # another process-like writer that is never checkpointed
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    with writer:
        writer.executemany("INSERT INTO users (username, role, created_at) VALUES (?, 'viewer', 'now')",
                           [(f"wal{i:03d}",) for i in range(200)])  # fmt: skip
    assert (tmp_path / "workspace.gpkg-wal").stat().st_size > 0
    naive = tmp_path / "naive" / "workspace.gpkg"  # what copying the file while the app runs gives
    naive.parent.mkdir()
    shutil.copyfile(path, naive)
    assert "zhang" not in _users_in(naive) and "wal000" not in _users_in(naive)

    out = tmp_path / "backups" / "ws-backup.gpkg"
    out.parent.mkdir()
    assert w.main(["--workspace", str(path), "backup", str(out)]) == 0  # while the writer is still connected
    assert str(out) in capsys.readouterr().out
    names = _users_in(out)  # plain sqlite3
    assert len(names) == 201 and "zhang" in names and "wal199" in names
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # GDAL: a proper GeoPackage
        users = pyogrio.read_dataframe(out, layer="users", read_geometry=False)
        assert {"evaluation_firms", "site_candidates", "users"} <= {name for name, _ in pyogrio.list_layers(out)}
    assert len(users) == 201 and set(names) == set(users["username"])
    assert sorted(p.name for p in out.parent.iterdir()) == ["ws-backup.gpkg"]  # self-contained: no -wal, no temp
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # it holds password hashes
    assert open_workspace(out, create=False).integrity() == "ok"
    with writer:  # the workspace is still usable
        writer.execute("INSERT INTO users (username, role, created_at) VALUES ('after', 'viewer', 'now')")
    writer.close()


def test_backup_refuses_the_workspace_itself_and_existing_files(tmp_path, capsys):
    path = tmp_path / "workspace.gpkg"
    u.add_user(open_workspace(path), "li", "long enough pw", "viewer")
    for target in (path, tmp_path / "workspace.gpkg-wal", tmp_path / "." / "workspace.gpkg"):
        with pytest.raises(WorkspaceError, match="cannot overwrite the workspace itself"):
            w.backup_workspace(path, target, force=True)
    os.link(path, tmp_path / "hardlink.gpkg")
    with pytest.raises(WorkspaceError, match="itself"):
        w.backup_workspace(path, tmp_path / "hardlink.gpkg", force=True)
    out = tmp_path / "b.gpkg"
    out.write_bytes(b"an older backup")
    assert w.main(["--workspace", str(path), "backup", str(out)]) == 2
    assert "--force" in capsys.readouterr().err and out.read_bytes() == b"an older backup"
    assert w.main(["--workspace", str(path), "backup", str(out), "--force"]) == 0
    assert _users_in(out) == ["li"]
    with pytest.raises(WorkspaceError, match="does not exist"):
        w.backup_workspace(path, tmp_path / "no" / "such" / "folder.gpkg")
    with pytest.raises(WorkspaceError, match="is a folder"):
        w.backup_workspace(path, tmp_path)


def test_postgis_backup_with_pg_dump(tmp_path, postgis_url, monkeypatch):
    ws = open_workspace(postgis_url)
    with ws.transaction() as conn:
        conn.execute(text("DELETE FROM users WHERE username = 'pg_backup_check'"))
    u.add_user(ws, "pg_backup_check", "long enough pw", "viewer")
    out = tmp_path / "workspace.dump"
    assert w.backup_workspace(postgis_url, out) == out
    pg_restore = shutil.which("pg_restore") or str(Path(w._pg_dump()).with_name("pg_restore"))
    listed = subprocess.run([pg_restore, "--data-only", "--table=users", "--file=-", str(out)],
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "pg_backup_check" in listed and "$argon2id$" in listed
    with pytest.raises(WorkspaceError, match="--force"):
        w.backup_workspace(postgis_url, out)
    monkeypatch.setattr(w, "_pg_dump", lambda: None)  # as on a machine without the client tools
    with pytest.raises(WorkspaceError, match="pg_dump not found"):
        w.backup_workspace(postgis_url, out, force=True)
