"""The workspace: saved data sets, 亩产效益 runs, site studies and users, in one database.

Two backends, one code path (SQLAlchemy Core, the schema in :mod:`store.schema`):

* a **GeoPackage** file (default ``workspace.gpkg``), which QGIS opens directly: WAL journal,
  ``synchronous = FULL`` and ``BEGIN IMMEDIATE`` write transactions, so that a process killed in
  the middle of a save leaves every committed record intact, and several processes can save at
  once (they queue on the write lock for up to 30 s);
* **PostgreSQL + PostGIS** for teams (``postgresql+psycopg://user:pass@host/db``).

Every save is one transaction: a run is stored with all its firms or not at all.

Command line (``--workspace`` or ``QDP_WORKSPACE`` names the workspace, as for ``python -m store.users``)::

    python -m store.workspace init                  # create (or upgrade) the workspace
    python -m store.workspace backup OUT [--force]  # consistent copy while the app runs

Command lines never create a workspace by accident: a location that holds none is refused unless
the command is ``init``. The app creates its default workspace on first start.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import sqlalchemy
from sqlalchemy import Connection, event, text

from analysis.land_yield.objections import Objection
from analysis.land_yield.report import class_counts
from store.schema import YEARLY_FIRM_COLUMNS, Dialect, migrate, schema_version

__all__ = [
    "Workspace",
    "WorkspaceError",
    "add_workspace_option",
    "backup_workspace",
    "open_cli_workspace",
    "open_workspace",
]

_FIRM_COLUMNS = ("name", "credit_code", "district", "industry", "scale", "status", "class", "score", "tax_per_mu",
                 "land_mu", "tax", *YEARLY_FIRM_COLUMNS, "industry_code")  # fmt: skip
_INTEGER_COLUMNS = ("rank", "group_size", "consecutive_d")
_BENCH_TO_STORED = {f"bench_{c.removesuffix('_bench')}": c for c in YEARLY_FIRM_COLUMNS if c.endswith("_bench")}
_DATASET_KINDS = ("enterprises", "plots", "exclusion_zones", "layer", "config", "header_map")


class WorkspaceError(RuntimeError):
    """The workspace cannot be opened or written; the message is fit to show to a user."""


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _url(location: str | Path) -> str:
    text_location = str(location)
    if "://" in text_location:
        return text_location
    return f"sqlite:///{Path(text_location).resolve()}"


def _sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL (``None`` for other databases)."""
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def _shown(location: str | Path) -> str:
    """``location`` fit for a message: a database URL without its password."""
    text_location = str(location)
    if "://" not in text_location:
        return text_location
    try:
        return sqlalchemy.engine.make_url(text_location).render_as_string(hide_password=True)
    except sqlalchemy.exc.ArgumentError:
        return text_location.split("://", 1)[0] + "://…"


def _init_hint(location: str | Path) -> str:
    return f"python -m store.workspace --workspace {_shown(location)} init"


def _sqlite_has_workspace(path: Path, location: str | Path) -> bool | None:
    """Whether the SQLite file holds a workspace (a ``ws_meta`` table); ``None`` when it holds no table at
    all (a new, empty file). Read-only: the file is not changed, not even its journal mode."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)) as conn:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as exc:
        raise WorkspaceError(f"无法打开工作空间 / cannot open the workspace {_shown(location)}: {exc}") from exc
    return "ws_meta" in names if names else None


def _refuse_missing(location: str | Path) -> WorkspaceError:
    return WorkspaceError(
        f"工作空间不存在：{_shown(location)}（路径是否输错？新建请运行 {_init_hint(location)}）/ "
        f"there is no workspace at {_shown(location)} (mistyped?); to create one, run: {_init_hint(location)}"
    )


def _sqlite_pragmas(engine: sqlalchemy.Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun explicitly below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # take the write lock up front: no deadlock on upgrade


class Workspace:
    """A workspace database (see the module docstring). Use :func:`open_workspace`."""

    def __init__(self, location: str | Path, create: bool = True):
        url = _url(location)
        try:
            self.engine = sqlalchemy.create_engine(url, future=True, pool_pre_ping=True)
        except (sqlalchemy.exc.ArgumentError, ModuleNotFoundError) as exc:
            raise WorkspaceError(f"无效的工作空间地址 / invalid workspace location: {_shown(location)}: {exc}") from exc
        self.dialect = Dialect(self.engine.dialect.name)
        if self.dialect.name not in ("sqlite", "postgresql"):
            raise WorkspaceError(f"不支持的数据库 / unsupported database: {self.dialect.name}")
        if self.dialect.sqlite:
            path = _sqlite_path(url)
            if path is None:
                raise WorkspaceError(f"无效的工作空间地址 / invalid workspace location: {_shown(location)}")
            held = _sqlite_has_workspace(path, location) if path.exists() else None
            if held is False:  # someone else's GeoPackage or database: never add workspace tables to it
                raise WorkspaceError(
                    f"{_shown(location)} 是数据库文件但不是工作空间，请另选文件 / {_shown(location)} is a database "
                    "but not a workspace; choose another file"
                )
            if held is None and not create:
                raise _refuse_missing(location)
            _sqlite_pragmas(self.engine)
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if not create and not self.dialect.sqlite:
                with self.engine.connect() as conn:
                    if schema_version(conn) == 0:
                        raise _refuse_missing(location)
            if not self.dialect.sqlite:
                with self.engine.begin() as conn:
                    conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
            self.version = migrate(self.engine.begin, self.dialect)
            self.checkpoint()
        except sqlalchemy.exc.SQLAlchemyError as exc:
            raise WorkspaceError(
                f"无法打开工作空间 / cannot open the workspace {_shown(location)}: {getattr(exc, 'orig', None) or exc}"
            ) from exc
        self.location = str(location)

    # ---- plumbing ----------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction: commits when the block ends, rolls back on any error."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except sqlalchemy.exc.OperationalError as exc:
            raise WorkspaceError(f"工作空间写入失败 / the workspace could not be written: {exc.orig}") from exc

    def _insert_sql(self, table: str, columns: list[str]) -> str:
        values = [self.dialect.geom_in(c) if c == "geom" else f":{c}" for c in columns]
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(values)})"

    def _insert(self, conn: Connection, table: str, row: dict[str, Any]) -> int:
        """Insert one row; returns its fid."""
        return int(conn.execute(text(self._insert_sql(table, list(row)) + " RETURNING fid"), row).scalar_one())

    def _insert_many(self, conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert rows with the same keys (a ``geom`` key holds encoded geometry)."""
        if rows:
            conn.execute(text(self._insert_sql(table, list(rows[0]))), rows)

    def audit(self, conn: Connection, user: str | None, action: str, target: str, detail: str | None = None) -> None:
        row = {"at": now_utc(), "username": user, "action": action, "target": target, "detail": detail}
        self._insert(conn, "audit_log", row)

    def query(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        with self.engine.connect() as conn:
            result = conn.execute(text(sql), params or {})
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the GeoPackage file, so that other readers (QGIS, GDAL) see
        the latest header and records even without WAL support. Committed data is safe either way."""
        if self.dialect.sqlite:
            self._pragma("PRAGMA wal_checkpoint(TRUNCATE)")

    def _pragma(self, statement: str) -> object:
        """Run a PRAGMA outside any transaction (on the raw SQLite connection)."""
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute(statement)
            row = cursor.fetchone()
            cursor.close()
            return row[0] if row else None
        finally:
            raw.close()

    def integrity(self) -> str:
        """``"ok"`` when the database passes its own integrity check (SQLite ``PRAGMA integrity_check``)."""
        if not self.dialect.sqlite:
            return "ok"
        return str(self._pragma("PRAGMA integrity_check"))

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return schema_version(conn)

    # ---- data sets -------------------------------------------------------------------------
    def save_dataset(
        self, name: str, kind: str, filename: str, content: bytes, user: str | None = None, notes: str = "",
        n_features: int | None = None,
    ) -> int:  # fmt: skip
        """Store an imported file as it was given (so a run can be reproduced); returns its id."""
        if kind not in _DATASET_KINDS:
            raise ValueError(f"kind must be one of {_DATASET_KINDS}, got {kind!r}")
        digest = hashlib.sha256(content).hexdigest()
        row = {"name": name, "kind": kind, "filename": Path(filename).name, "sha256": digest, "size": len(content),
               "content": content, "notes": notes, "created_by": user, "created_at": now_utc(),
               "n_features": n_features}  # fmt: skip
        with self.transaction() as conn:
            fid = self._insert(conn, "datasets", row)
            self.audit(conn, user, "save_dataset", f"datasets/{fid}")
        return fid

    def datasets(self, kind: str | None = None) -> pd.DataFrame:
        """Stored data sets, newest first (without their content)."""
        where = "WHERE kind = :kind" if kind else ""
        return self.query(
            f"SELECT fid, name, kind, filename, size, sha256, n_features, notes, created_by, created_at "
            f"FROM datasets {where} ORDER BY fid DESC",
            {"kind": kind},
        )

    def dataset_content(self, fid: int) -> tuple[str, bytes]:
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT filename, content FROM datasets WHERE fid = :f"), {"f": fid}).first()
        if row is None:
            raise WorkspaceError(f"没有这个数据集 / no data set {fid}")
        return row[0], bytes(row[1])

    # ---- 亩产效益 runs ------------------------------------------------------------------------
    def save_evaluation(
        self,
        name: str,
        evaluation,
        config_toml: str,
        dataset_fid: int | None = None,
        user: str | None = None,
        coords: str = "auto",
    ) -> int:
        """Store an evaluation (:class:`analysis.land_yield.pipeline.Evaluation`), every firm, in one transaction.

        The run records its input data set, parameters and coordinate system, so that it can be
        reopened as it was, and its class counts, to check a reopened run against. Classes are stored
        as evaluated: decisions on objections live in the run's register (:meth:`record_objection`).
        """
        result = evaluation.result
        if "class_evaluated" in result.columns:  # a register applied: store the classes as evaluated, the
            result = result.assign(**{"class": result["class_evaluated"]})  # register is kept (and applied) apart
        summary = {"classes": class_counts(result), "coords": coords}
        run = {"name": name, "dataset_fid": dataset_fid, "config_toml": config_toml, "n_firms": len(result),
               "summary_json": json.dumps(summary, ensure_ascii=False),
               "synthetic": int(bool(evaluation.synthetic)), "created_by": user, "created_at": now_utc(),
               "evaluation_year": int(evaluation.config.evaluation_year)}  # fmt: skip
        source = pd.DataFrame(result.rename(columns=_BENCH_TO_STORED)).reindex(columns=list(_FIRM_COLUMNS))
        for column in _INTEGER_COLUMNS:  # whole numbers as integers (PostgreSQL refuses 1.0 and NaN for INTEGER)
            source[column] = pd.to_numeric(source[column], errors="coerce").round().astype("Int64")
        frame = source.astype(object).where(source.notna(), None)  # missing → NULL, whatever the column held
        geoms = [None if g is None or g.is_empty else self.dialect.encode(g) for g in result.geometry]
        with self.transaction() as conn:
            fid = self._insert(conn, "evaluation_runs", run)
            rows = [{**dict(zip(_FIRM_COLUMNS, values, strict=True)), "run_fid": fid, "geom": g}
                    for values, g in zip(frame.itertuples(index=False), geoms, strict=True)]  # fmt: skip
            self._insert_many(conn, "evaluation_firms", rows)
            self.audit(conn, user, "save_evaluation", f"evaluation_runs/{fid}")
        return fid

    def evaluations(self) -> pd.DataFrame:
        return self.query(
            "SELECT fid, name, n_firms, synthetic, summary_json, created_by, created_at, dataset_fid, config_toml, "
            "evaluation_year FROM evaluation_runs ORDER BY fid DESC"
        )

    def yearly_runs(self) -> pd.DataFrame:
        """The run that stands for each evaluation year: the latest one saved for that year, oldest year first."""
        runs = self.evaluations()
        runs = runs[runs["evaluation_year"].notna()]
        latest = runs.sort_values("fid").groupby("evaluation_year").tail(1)
        return latest.sort_values("evaluation_year").reset_index(drop=True)

    def evaluation_firms(self, run_fid: int) -> gpd.GeoDataFrame:
        """The firms of a stored run (EPSG:4326), benchmarks as ``bench_<indicator>`` as in a result."""
        frame = self.query(
            f"SELECT fid, {', '.join(_FIRM_COLUMNS)}, {self.dialect.geom_out('geom')} FROM evaluation_firms "
            f"WHERE run_fid = :r ORDER BY fid",
            {"r": run_fid},
        )
        geoms = [self.dialect.decode(g) for g in frame.pop("geom")] if len(frame) else []
        frame = frame.rename(columns={v: k for k, v in _BENCH_TO_STORED.items()})
        return gpd.GeoDataFrame(frame, geometry=geoms, crs=4326)

    # ---- site studies ------------------------------------------------------------------------
    def save_site_study(self, name: str, result, user: str | None = None, top_plots: int = 50) -> int:
        """Store a site study (:class:`analysis.siting.rank.SiteResult`): project, parameters, ranked candidates."""
        study = {"name": name, "project_json": json.dumps(result.project.as_dict(), ensure_ascii=False),
                 "config_toml": result.config.to_toml(), "created_by": user, "created_at": now_utc(),
                 "notes_json": _findings_json(result.notes)}  # fmt: skip
        with self.transaction() as conn:
            fid = self._insert(conn, "site_studies", study)
            rows = []
            for kind, frame in (("plot", result.plots.head(top_plots)), ("cluster", result.clusters)):
                geoms = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else [None] * len(frame)
                for row, geom in zip(frame.itertuples(), geoms, strict=True):
                    rows.append({"study_fid": fid, "kind": kind, "rank": int(row.rank), "ref_id": str(row.id),
                                 "name": str(row.name), "score": float(row.score), "compliant": int(row.compliant),
                                 "failed": _findings_json(row.failures), "reasons": _findings_json(row.reasons),
                                 "geom": self.dialect.encode(geom)})  # fmt: skip
            self._insert_many(conn, "site_candidates", rows)
            self.audit(conn, user, "save_site_study", f"site_studies/{fid}")
        return fid

    def site_studies(self) -> pd.DataFrame:
        return self.query(
            "SELECT fid, name, project_json, config_toml, created_by, created_at FROM site_studies ORDER BY fid DESC"
        )

    def site_candidates(self, study_fid: int) -> gpd.GeoDataFrame:
        """The candidates of a stored study; ``failed`` and ``reasons`` as lists of findings."""
        frame = self.query(
            f"SELECT fid, kind, rank, ref_id, name, score, compliant, failed, reasons, {self.dialect.geom_out('geom')} "
            "FROM site_candidates WHERE study_fid = :s ORDER BY kind DESC, rank",
            {"s": study_fid},
        )
        geoms = [self.dialect.decode(g) for g in frame.pop("geom")] if len(frame) else []
        for col in ("failed", "reasons"):  # findings, rendered by the page in the language asked
            frame[col] = [findings_from_json(v) for v in frame[col]]
        return gpd.GeoDataFrame(frame, geometry=geoms, crs=4326)

    # ---- site scenarios ----------------------------------------------------------------------
    def save_scenario(self, name: str, scenario_toml: str, user: str | None = None) -> int:
        """Store a named scenario (:meth:`analysis.siting.scenarios.Scenario.to_toml`); a name saved again is a new
        version, and the latest one is in force (:meth:`scenarios`)."""
        row = {"name": name, "scenario_toml": scenario_toml, "created_by": user, "created_at": now_utc()}
        with self.transaction() as conn:
            fid = self._insert(conn, "site_scenarios", row)
            self.audit(conn, user, "save_scenario", f"site_scenarios/{fid}", name)
        return fid

    def scenarios(self) -> pd.DataFrame:
        """The latest version of every named scenario: ``fid``, ``name``, ``scenario_toml``, ``created_by``,
        ``created_at``, by name."""
        frame = self.query("SELECT fid, name, scenario_toml, created_by, created_at FROM site_scenarios ORDER BY fid")
        return frame.groupby("name", sort=True).tail(1).sort_values("name").reset_index(drop=True)

    def delete(self, table: str, fid: int, user: str | None = None) -> None:
        """Delete a stored run, study, scenario or data set (with its rows)."""
        if table not in ("evaluation_runs", "site_studies", "datasets", "site_scenarios"):
            raise ValueError(f"cannot delete from {table!r}")
        with self.transaction() as conn:
            conn.execute(text(f"DELETE FROM {table} WHERE fid = :f"), {"f": fid})
            self.audit(conn, user, "delete", f"{table}/{fid}")

    def audit_log(self) -> pd.DataFrame:
        return self.query("SELECT at, username, action, target, detail FROM audit_log ORDER BY fid DESC")

    # ---- objections --------------------------------------------------------------------------
    def record_objection(self, run_fid: int, objection: Objection, user: str | None = None) -> int:
        """Add an entry to a run's objection register (never changed or removed), and say it in the audit log.

        The audit entry names the firm, the decision and the classes, e.g. ``91370200… C→B (changed)``.
        """
        row = {**objection.__dict__, "run_fid": int(run_fid), "recorded_by": user or objection.recorded_by,
               "recorded_at": now_utc()}  # fmt: skip
        detail = (f"{objection.credit_code} {objection.name}: {objection.class_before}→"
                  f"{objection.class_after or '?'} ({objection.decision}); {objection.reason}")  # fmt: skip
        with self.transaction() as conn:
            if conn.execute(text("SELECT 1 FROM evaluation_runs WHERE fid = :f"), {"f": run_fid}).first() is None:
                raise WorkspaceError(f"没有这次评价 / no evaluation run {run_fid}")
            fid = self._insert(conn, "objections", row)
            self.audit(conn, user, "record_objection", f"evaluation_runs/{run_fid}/objections/{fid}", detail)
        return fid

    def objections(self, run_fid: int) -> list[Objection]:
        """A run's objection register in the order recorded (the last entry per firm is in force)."""
        fields = ", ".join(Objection.__dataclass_fields__)
        frame = self.query(f"SELECT {fields} FROM objections WHERE run_fid = :r ORDER BY fid", {"r": run_fid})
        return [Objection(**{k: ("" if v is None else str(v)) for k, v in row.items()})
                for row in frame.to_dict("records")]  # fmt: skip


def open_workspace(location: str | Path, *, create: bool = True) -> Workspace:
    """Open the workspace at a file path or database URL, migrating it to this program's schema.

    Parameters
    ----------
    location
        A GeoPackage file (``workspace.gpkg``) or a ``postgresql+psycopg://`` URL.
    create
        Create the workspace when the location holds none (a missing file, an empty file or an empty
        database). Command lines pass ``False``, so that a mistyped path is refused instead of silently
        becoming a new, empty workspace; the app (``views.state``) creates its default workspace.

    Raises
    ------
    WorkspaceError
        The location is invalid or unreachable, holds no workspace (with ``create=False``), is a database
        that is not a workspace (e.g. another GeoPackage), or was written by a newer program.
    """
    try:
        return Workspace(location, create=create)
    except RuntimeError as exc:
        raise WorkspaceError(str(exc)) from exc


# ---- backup ----------------------------------------------------------------------------------
def _backup_target(out: Path, source: Path | None, force: bool) -> Path:
    """``out`` as an absolute path, after refusing the workspace itself, a folder or (without ``force``)
    an existing file."""
    target = Path(os.path.abspath(out))
    if source is not None:
        own = Path(os.path.abspath(source))
        siblings = {own, *(own.with_name(own.name + suffix) for suffix in ("-wal", "-shm", "-journal"))}
        if target in siblings or (target.exists() and own.exists() and os.path.samefile(target, own)):
            raise WorkspaceError(
                f"备份不能写到工作空间自身 {own} / the backup cannot overwrite the workspace itself ({own})"
            )
    if target.is_dir():
        raise WorkspaceError(f"{target} 是文件夹，请给出文件名 / {target} is a folder; give a file name")
    if not target.parent.is_dir():
        raise WorkspaceError(f"目标文件夹不存在 / the folder {target.parent} does not exist")
    if target.exists() and not force:
        raise WorkspaceError(f"{target} 已存在，覆盖请加 --force / {target} exists; add --force to overwrite it")
    return target


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(tmp: Path, target: Path) -> None:
    """Move a finished temporary file onto ``target`` atomically (same folder), durably."""
    _fsync(tmp)
    os.replace(tmp, target)
    _fsync(target.parent)


def _temporary_beside(target: Path) -> Path:
    """A new, empty, owner-only (0600) file in ``target``'s folder: the backup holds password hashes."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    return Path(name)


def _backup_sqlite(path: Path, location: str | Path, target: Path) -> None:
    if not path.is_file() or not _sqlite_has_workspace(path, location):
        raise _refuse_missing(location)
    tmp = _temporary_beside(target)
    try:
        with (closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)) as source,
              closing(sqlite3.connect(tmp)) as copy):  # fmt: skip
            source.backup(copy)  # one step: a consistent snapshot that includes what is still in the -wal file
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise WorkspaceError(f"备份未通过完整性检查 / the backup failed its integrity check: {check}")
        _publish(tmp, target)
    except sqlite3.Error as exc:
        raise WorkspaceError(f"备份失败 / the backup failed: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def _pg_dump() -> str | None:
    """``pg_dump`` on the PATH, else the newest of Debian's ``/usr/lib/postgresql/*/bin``."""
    found = shutil.which("pg_dump")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"),
                        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)  # fmt: skip
    return str(candidates[-1]) if candidates else None


def _backup_postgres(url: str, target: Path) -> None:
    parsed = sqlalchemy.engine.make_url(url)
    engine = sqlalchemy.create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            if schema_version(conn) == 0:
                raise _refuse_missing(url)
    except sqlalchemy.exc.SQLAlchemyError as exc:
        raise WorkspaceError(
            f"无法打开工作空间 / cannot open the workspace {_shown(url)}: {getattr(exc, 'orig', None) or exc}"
        ) from exc
    finally:
        engine.dispose()
    pg_dump = _pg_dump()
    if pg_dump is None:
        raise WorkspaceError(
            "找不到 pg_dump，请安装与服务器同版本或更新的 PostgreSQL 客户端"
            "（Debian: apt-get install postgresql-client）/ "
            "pg_dump not found: install the PostgreSQL client tools, the server's version or newer "
            "(Debian: apt-get install postgresql-client)"
        )
    # libpq URL without the password (which would show in the process list): it goes in PGPASSWORD
    conninfo = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = {**os.environ}
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    tmp = _temporary_beside(target)
    try:
        done = subprocess.run([pg_dump, "--format=custom", "--file", str(tmp), "--dbname", conninfo],
                              env=env, capture_output=True, text=True, check=False)  # fmt: skip
        if done.returncode != 0:
            raise WorkspaceError(f"pg_dump 失败 / pg_dump failed: {done.stderr.strip()[-2000:]}")
        _publish(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def backup_workspace(location: str | Path, out: str | Path, *, force: bool = False) -> Path:
    """Write a consistent copy of the workspace to ``out``, safe while the app is running.

    A GeoPackage is copied with SQLite's online backup API, so records still in the write-ahead
    log (``workspace.gpkg-wal``) are included, which a plain file copy would miss; the copy is
    a single self-contained GeoPackage (no ``-wal`` file) that passes ``PRAGMA quick_check``.
    PostgreSQL is dumped with ``pg_dump --format=custom`` (restore with ``pg_restore``). Either way
    the copy is written to a temporary file in ``out``'s folder and moved into place atomically,
    readable by its owner only; the workspace itself is only read, never migrated or changed.

    Parameters
    ----------
    location
        The workspace: a GeoPackage file or a ``postgresql+psycopg://`` URL.
    out
        The backup file to write.
    force
        Overwrite ``out`` if it exists.

    Returns
    -------
    Path
        The backup file, absolute.

    Raises
    ------
    WorkspaceError
        No workspace at ``location``; ``out`` is the workspace itself, a folder, in a folder that does
        not exist, or exists (without ``force``); ``pg_dump`` is missing or fails.
    """
    url = _url(location)
    path = _sqlite_path(url)
    target = _backup_target(Path(out), path, force)
    if path is not None:
        _backup_sqlite(path, location, target)
    elif url.split("://", 1)[0].split("+", 1)[0] in ("postgresql", "postgres"):
        _backup_postgres(url, target)
    else:
        raise WorkspaceError(f"不支持的数据库 / unsupported database: {_shown(location)}")
    return target


# ---- command line ----------------------------------------------------------------------------
_WORKSPACE_HELP = (
    "工作空间文件或数据库地址（默认 QDP_WORKSPACE）/ workspace file or database URL (default QDP_WORKSPACE)"
)


def add_workspace_option(parser: argparse.ArgumentParser, *subparsers: argparse.ArgumentParser) -> None:
    """Add ``--workspace`` to a command line, accepted before or after the sub-command."""
    parser.add_argument("--workspace", default=None, help=_WORKSPACE_HELP)
    for sub in subparsers:
        sub.add_argument("--workspace", default=argparse.SUPPRESS, help=_WORKSPACE_HELP)


def cli_location(location: str | None) -> str:
    """``--workspace`` if given, else ``QDP_WORKSPACE`` or the default (:func:`settings.workspace_location`)."""
    from settings import workspace_location

    return location or workspace_location()


def open_cli_workspace(location: str | None) -> Workspace:
    """The workspace a command line names; refuses a location that holds none (see :func:`open_workspace`)."""
    return open_workspace(cli_location(location), create=False)


def main(argv: list[str] | None = None) -> int:
    """``init`` or ``backup`` the workspace; returns 0, or 2 with a one-line message."""
    parser = argparse.ArgumentParser(prog="python -m store.workspace", description="工作空间 / workspace")
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="新建（或升级）工作空间 / create (or upgrade) the workspace")
    backup = sub.add_parser("backup", help="一致性备份（应用运行时也可）/ consistent backup, also while the app runs")
    backup.add_argument("out", help="备份文件 / backup file (.gpkg, or a pg_dump archive for PostgreSQL)")
    backup.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite an existing file")
    add_workspace_option(parser, init, backup)
    args = parser.parse_args(argv)
    location = cli_location(args.workspace)
    try:
        if args.command == "init":
            ws = open_workspace(location, create=True)
            print(f"工作空间已就绪 / workspace ready: {_shown(location)} (schema {ws.version})")
        else:
            target = backup_workspace(location, args.out, force=args.force)
            print(f"已备份到 / backed up to: {target}")
    except WorkspaceError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    from cli.pipes import quiet_pipe

    sys.exit(quiet_pipe(main))


def _findings_json(findings) -> str:
    """Findings as a JSON array of dictionaries (what a study stores: it renders in either language)."""
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, allow_nan=False)


def findings_from_json(text: str | None) -> list:
    """Findings stored by :func:`_findings_json`. Studies saved before findings existed hold Chinese
    lines; each becomes a ``legacy.text`` finding, shown as written."""
    from analysis.findings import Finding

    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, list) and all(isinstance(d, dict) and "code" in d for d in data):
        return [Finding.from_dict(d) for d in data]
    return [Finding("legacy.text", "info", "", {"text": line}) for line in str(text).splitlines() if line]
