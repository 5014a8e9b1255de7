"""The workspace: saved data sets, 亩产效益 runs, site studies and users, in one database.

Two backends, one code path (SQLAlchemy Core, the schema in :mod:`store.schema`):

* a **GeoPackage** file (default ``workspace.gpkg``), which QGIS opens directly: WAL journal,
  ``synchronous = FULL`` and ``BEGIN IMMEDIATE`` write transactions, so that a process killed in
  the middle of a save leaves every committed record intact, and several processes can save at
  once (they queue on the write lock for up to 30 s);
* **PostgreSQL + PostGIS** for teams (``postgresql+psycopg://user:pass@host/db``).

Every save is one transaction: a run is stored with all its firms or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import sqlalchemy
from sqlalchemy import Connection, event, text

from store.schema import Dialect, migrate, schema_version

__all__ = ["Workspace", "WorkspaceError", "open_workspace"]

_DATASET_KINDS = ("enterprises", "plots", "exclusion_zones", "layer", "config")


class WorkspaceError(RuntimeError):
    """The workspace cannot be opened or written; the message is fit to show to a user."""


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _url(location: str | Path) -> str:
    text_location = str(location)
    if "://" in text_location:
        return text_location
    return f"sqlite:///{Path(text_location).resolve()}"


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

    def __init__(self, location: str | Path):
        url = _url(location)
        try:
            self.engine = sqlalchemy.create_engine(url, future=True, pool_pre_ping=True)
        except (sqlalchemy.exc.ArgumentError, ModuleNotFoundError) as exc:
            raise WorkspaceError(f"无效的工作空间地址 / invalid workspace location: {location}: {exc}") from exc
        self.dialect = Dialect(self.engine.dialect.name)
        if self.dialect.name not in ("sqlite", "postgresql"):
            raise WorkspaceError(f"不支持的数据库 / unsupported database: {self.dialect.name}")
        if self.dialect.sqlite:
            _sqlite_pragmas(self.engine)
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            if not self.dialect.sqlite:
                with self.engine.begin() as conn:
                    conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
            self.version = migrate(self.engine.begin, self.dialect)
            self.checkpoint()
        except sqlalchemy.exc.SQLAlchemyError as exc:
            raise WorkspaceError(f"无法打开工作空间 / cannot open the workspace {location}: {exc.orig or exc}") from exc
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

    def audit(self, conn: Connection, user: str | None, action: str, target: str) -> None:
        self._insert(conn, "audit_log", {"at": now_utc(), "username": user, "action": action, "target": target})

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
        self, name: str, evaluation, config_toml: str, dataset_fid: int | None = None, user: str | None = None
    ) -> int:
        """Store an evaluation (:class:`analysis.land_yield.Evaluation`) with every firm, in one transaction."""
        result = evaluation.result
        counts = result["class"].replace("", "—").value_counts().to_dict()
        run = {"name": name, "dataset_fid": dataset_fid, "config_toml": config_toml, "n_firms": len(result),
               "summary_json": json.dumps({"classes": counts}, ensure_ascii=False),
               "synthetic": int(bool(evaluation.synthetic)), "created_by": user, "created_at": now_utc()}  # fmt: skip
        columns = ("name", "credit_code", "district", "industry", "scale", "status", "class", "score", "tax_per_mu",
                   "land_mu", "tax")  # fmt: skip
        frame = pd.DataFrame(result[list(columns)]).astype(object).where(result[list(columns)].notna(), None)
        geoms = [None if g is None or g.is_empty else self.dialect.encode(g) for g in result.geometry]
        with self.transaction() as conn:
            fid = self._insert(conn, "evaluation_runs", run)
            rows = [{**dict(zip(columns, values, strict=True)), "run_fid": fid, "geom": g}
                    for values, g in zip(frame.itertuples(index=False), geoms, strict=True)]  # fmt: skip
            self._insert_many(conn, "evaluation_firms", rows)
            self.audit(conn, user, "save_evaluation", f"evaluation_runs/{fid}")
        return fid

    def evaluations(self) -> pd.DataFrame:
        return self.query(
            "SELECT fid, name, n_firms, synthetic, summary_json, created_by, created_at FROM evaluation_runs "
            "ORDER BY fid DESC"
        )

    def evaluation_firms(self, run_fid: int) -> gpd.GeoDataFrame:
        """The firms of a stored run (EPSG:4326)."""
        frame = self.query(
            f"SELECT fid, name, credit_code, district, industry, scale, status, class, score, tax_per_mu, land_mu, "
            f"tax, {self.dialect.geom_out('geom')} FROM evaluation_firms WHERE run_fid = :r ORDER BY fid",
            {"r": run_fid},
        )
        geoms = [self.dialect.decode(g) for g in frame.pop("geom")] if len(frame) else []
        return gpd.GeoDataFrame(frame, geometry=geoms, crs=4326)

    # ---- site studies ------------------------------------------------------------------------
    def save_site_study(self, name: str, result, user: str | None = None, top_plots: int = 50) -> int:
        """Store a site study (:class:`analysis.siting.SiteResult`): project, parameters, ranked candidates."""
        study = {"name": name, "project_json": json.dumps(result.project.as_dict(), ensure_ascii=False),
                 "config_toml": result.config.to_toml(), "created_by": user, "created_at": now_utc(),
                 "notes_json": json.dumps(result.notes_zh, ensure_ascii=False)}  # fmt: skip
        with self.transaction() as conn:
            fid = self._insert(conn, "site_studies", study)
            rows = []
            for kind, frame in (("plot", result.plots.head(top_plots)), ("cluster", result.clusters)):
                geoms = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else [None] * len(frame)
                for row, geom in zip(frame.itertuples(), geoms, strict=True):
                    rows.append({"study_fid": fid, "kind": kind, "rank": int(row.rank), "ref_id": str(row.id),
                                 "name": str(row.name), "score": float(row.score), "compliant": int(row.compliant),
                                 "failed": "\n".join(row.failed_zh), "reasons": "\n".join(row.reasons_zh),
                                 "geom": self.dialect.encode(geom)})  # fmt: skip
            self._insert_many(conn, "site_candidates", rows)
            self.audit(conn, user, "save_site_study", f"site_studies/{fid}")
        return fid

    def site_studies(self) -> pd.DataFrame:
        return self.query("SELECT fid, name, project_json, created_by, created_at FROM site_studies ORDER BY fid DESC")

    def site_candidates(self, study_fid: int) -> gpd.GeoDataFrame:
        frame = self.query(
            f"SELECT fid, kind, rank, ref_id, name, score, compliant, failed, reasons, {self.dialect.geom_out('geom')} "
            "FROM site_candidates WHERE study_fid = :s ORDER BY kind DESC, rank",
            {"s": study_fid},
        )
        geoms = [self.dialect.decode(g) for g in frame.pop("geom")] if len(frame) else []
        return gpd.GeoDataFrame(frame, geometry=geoms, crs=4326)

    def delete(self, table: str, fid: int, user: str | None = None) -> None:
        """Delete a stored run, study or data set (with its rows)."""
        if table not in ("evaluation_runs", "site_studies", "datasets"):
            raise ValueError(f"cannot delete from {table!r}")
        with self.transaction() as conn:
            conn.execute(text(f"DELETE FROM {table} WHERE fid = :f"), {"f": fid})
            self.audit(conn, user, "delete", f"{table}/{fid}")

    def audit_log(self) -> pd.DataFrame:
        return self.query("SELECT at, username, action, target FROM audit_log ORDER BY fid DESC")


def open_workspace(location: str | Path) -> Workspace:
    """Open (creating and migrating as needed) the workspace at a file path or database URL.

    Raises
    ------
    WorkspaceError
        The location is invalid, unreachable, or newer than this program.
    """
    try:
        return Workspace(location)
    except RuntimeError as exc:
        raise WorkspaceError(str(exc)) from exc
