"""Workspace tables, one schema for SQLite/GeoPackage and PostgreSQL/PostGIS, and its migrations.

The schema version lives in ``ws_meta``; :func:`migrate` applies the missing steps of
:data:`MIGRATIONS` in one transaction each, so a workspace is never left half-migrated. Add a
step (never edit an old one) to change the schema.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import shapely
from sqlalchemy import Connection, text

from store import gpkg

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Dialect", "migrate", "schema_version"]


@dataclass(frozen=True)
class Dialect:
    """What differs between the two backends: DDL types and how geometry goes in and out."""

    name: str  # "sqlite" or "postgresql"

    @property
    def sqlite(self) -> bool:
        return self.name == "sqlite"

    @property
    def pk(self) -> str:
        return "INTEGER PRIMARY KEY AUTOINCREMENT" if self.sqlite else "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"

    @property
    def real(self) -> str:
        return "DOUBLE" if self.sqlite else "DOUBLE PRECISION"  # GeoPackage knows DOUBLE only

    @property
    def blob(self) -> str:
        return "BLOB" if self.sqlite else "BYTEA"

    def geometry(self, kind: str) -> str:
        return kind if self.sqlite else f"geometry({'Geometry' if kind == 'GEOMETRY' else kind.title()}, 4326)"

    def geom_in(self, param: str) -> str:
        return f":{param}" if self.sqlite else f"ST_GeomFromWKB(:{param}, 4326)"

    def geom_out(self, column: str) -> str:
        return column if self.sqlite else f"ST_AsBinary({column}) AS {column}"

    def encode(self, geometry: shapely.Geometry | None) -> bytes | None:
        if geometry is None:
            return None
        return gpkg.encode(geometry) if self.sqlite else shapely.to_wkb(geometry)

    def decode(self, value: bytes | memoryview | None) -> shapely.Geometry | None:
        if value is None:
            return None
        return gpkg.decode(value) if self.sqlite else shapely.from_wkb(bytes(value))


def _run(conn: Connection, statements: list[str]) -> None:
    for statement in statements:
        conn.execute(text(statement))


def _v1(conn: Connection, d: Dialect) -> None:
    """Users, data sets, 亩产效益 runs with their firms, site studies with their candidates."""
    tables = [
        f"""CREATE TABLE users (fid {d.pk}, username TEXT NOT NULL UNIQUE, password_hash TEXT, role TEXT NOT NULL,
            email TEXT, disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL)""",
        f"""CREATE TABLE datasets (fid {d.pk}, name TEXT NOT NULL, kind TEXT NOT NULL, filename TEXT NOT NULL,
            sha256 TEXT NOT NULL, size INTEGER NOT NULL, content {d.blob} NOT NULL, notes TEXT,
            created_by TEXT, created_at TEXT NOT NULL)""",
        f"""CREATE TABLE evaluation_runs (fid {d.pk}, name TEXT NOT NULL,
            dataset_fid INTEGER REFERENCES datasets(fid) ON DELETE SET NULL, config_toml TEXT NOT NULL,
            n_firms INTEGER NOT NULL, summary_json TEXT NOT NULL, synthetic INTEGER NOT NULL,
            created_by TEXT, created_at TEXT NOT NULL)""",
        f"""CREATE TABLE evaluation_firms (fid {d.pk},
            run_fid INTEGER NOT NULL REFERENCES evaluation_runs(fid) ON DELETE CASCADE,
            name TEXT, credit_code TEXT, district TEXT, industry TEXT, scale TEXT, status TEXT, class TEXT,
            score {d.real}, tax_per_mu {d.real}, land_mu {d.real}, tax {d.real},
            geom {d.geometry("POINT")})""",
        f"""CREATE TABLE site_studies (fid {d.pk}, name TEXT NOT NULL, project_json TEXT NOT NULL,
            config_toml TEXT NOT NULL, notes_json TEXT NOT NULL, created_by TEXT, created_at TEXT NOT NULL)""",
        f"""CREATE TABLE site_candidates (fid {d.pk},
            study_fid INTEGER NOT NULL REFERENCES site_studies(fid) ON DELETE CASCADE,
            kind TEXT NOT NULL, rank INTEGER NOT NULL, ref_id TEXT, name TEXT, score {d.real},
            compliant INTEGER NOT NULL, failed TEXT, reasons TEXT, geom {d.geometry("GEOMETRY")})""",
        "CREATE INDEX evaluation_firms_run ON evaluation_firms(run_fid)",
        "CREATE INDEX site_candidates_study ON site_candidates(study_fid)",
    ]
    if d.sqlite:
        _run(conn, list(gpkg.CORE_DDL))
    _run(conn, tables)
    if d.sqlite:
        for table, column, kind in (
            ("users", None, ""), ("datasets", None, ""), ("evaluation_runs", None, ""),
            ("evaluation_firms", "geom", "POINT"), ("site_studies", None, ""), ("site_candidates", "geom", "GEOMETRY"),
        ):  # fmt: skip
            _run(conn, gpkg.register_table(table, column, kind))


def _v2(conn: Connection, d: Dialect) -> None:
    """Audit log of who saved, changed or deleted what; the feature count of each data set."""
    _run(conn, [
        f"CREATE TABLE audit_log (fid {d.pk}, at TEXT NOT NULL, username TEXT, action TEXT NOT NULL, target TEXT)",
        "ALTER TABLE datasets ADD COLUMN n_features INTEGER",
    ])  # fmt: skip
    if d.sqlite:
        _run(conn, gpkg.register_table("audit_log", None))


# Per firm and year, what the yearly work reads back (issue 13, 3): the year of a run, and each firm's
# revenue, rank in its group, indicators and the cohort medians they were scored against.
YEARLY_FIRM_COLUMNS = ("revenue", "rank", "group_size", "tax_per_mu_bench", "revenue_per_energy",
                       "revenue_per_energy_bench", "revenue_per_emission", "revenue_per_emission_bench",
                       "rd_intensity", "rd_intensity_bench", "labour_productivity",
                       "labour_productivity_bench", "consecutive_d")  # fmt: skip


_INTEGERS = ("rank", "group_size", "consecutive_d")


def _v3(conn: Connection, d: Dialect) -> None:
    """The evaluation year of each run; per firm its revenue, rank, indicators, cohort medians and D years in a row."""
    statements = ["ALTER TABLE evaluation_runs ADD COLUMN evaluation_year INTEGER"]
    statements += [f"ALTER TABLE evaluation_firms ADD COLUMN {c} {'INTEGER' if c in _INTEGERS else d.real}"
                   for c in YEARLY_FIRM_COLUMNS]  # fmt: skip
    statements.append("CREATE INDEX evaluation_runs_year ON evaluation_runs(evaluation_year)")
    _run(conn, statements)


def _v4(conn: Connection, d: Dialect) -> None:
    """The objection register of each run (issue 13, 5), append-only; what an audited action changed; each firm's
    行业代码 (its industry where 产业领域 names none: 主导产业集聚度 over the years, issue 13, 6)."""
    _run(conn, [
        "ALTER TABLE evaluation_firms ADD COLUMN industry_code TEXT",
        f"""CREATE TABLE objections (fid {d.pk},
            run_fid INTEGER NOT NULL REFERENCES evaluation_runs(fid) ON DELETE CASCADE,
            credit_code TEXT NOT NULL, name TEXT, class_before TEXT NOT NULL, decision TEXT NOT NULL,
            class_after TEXT, claim TEXT NOT NULL, reason TEXT, received TEXT, recorded_by TEXT,
            recorded_at TEXT NOT NULL)""",
        "CREATE INDEX objections_run ON objections(run_fid)",
        "ALTER TABLE audit_log ADD COLUMN detail TEXT",
    ])  # fmt: skip
    if d.sqlite:
        _run(conn, gpkg.register_table("objections", None))


def _v5(conn: Connection, d: Dialect) -> None:
    """Named site-selection scenarios (issue 14, 4): the parameters as TOML, kept per name and version."""
    _run(conn, [
        f"""CREATE TABLE site_scenarios (fid {d.pk}, name TEXT NOT NULL, scenario_toml TEXT NOT NULL,
            created_by TEXT, created_at TEXT NOT NULL)""",
        "CREATE INDEX site_scenarios_name ON site_scenarios(name)",
    ])  # fmt: skip
    if d.sqlite:
        _run(conn, gpkg.register_table("site_scenarios", None))


MIGRATIONS: tuple[tuple[int, Callable[[Connection, Dialect], None]], ...] = (
    (1, _v1), (2, _v2), (3, _v3), (4, _v4), (5, _v5)
)  # fmt: skip
SCHEMA_VERSION = MIGRATIONS[-1][0]


def schema_version(conn: Connection) -> int:
    """The version recorded in the workspace (0 for an empty database)."""
    exists = conn.execute(
        text(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='ws_meta'"
            if conn.dialect.name == "sqlite"
            else "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename='ws_meta'"
        )
    ).first()
    if not exists:
        return 0
    row = conn.execute(text("SELECT value FROM ws_meta WHERE key='schema_version'")).first()
    return int(row[0]) if row else 0


def migrate(conn_factory: Callable[[], AbstractContextManager[Connection]], dialect: Dialect,
            upto: int = SCHEMA_VERSION) -> int:  # fmt: skip
    """Bring the workspace to version ``upto``, one transaction per step; returns the version.

    ``conn_factory`` is ``engine.begin`` (a context manager yielding a connection in a
    transaction that commits on success and rolls back on error).
    """
    with conn_factory() as conn:
        version = schema_version(conn)
        if version == 0:
            conn.execute(text("CREATE TABLE IF NOT EXISTS ws_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"))
            if dialect.sqlite:  # the header fields that make the file a GeoPackage
                conn.execute(text(f"PRAGMA application_id = {gpkg.APPLICATION_ID}"))
                conn.execute(text(f"PRAGMA user_version = {gpkg.USER_VERSION}"))
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"工作空间版本 {version} 比本程序支持的 {SCHEMA_VERSION} 新，请升级程序 / "
            f"workspace schema {version} is newer than this program's {SCHEMA_VERSION}; upgrade the program"
        )
    for step, apply in MIGRATIONS:
        if version < step <= upto:
            with conn_factory() as conn:
                apply(conn, dialect)
                conn.execute(
                    text(
                        "INSERT INTO ws_meta (key, value) VALUES ('schema_version', :v) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                    ),
                    {"v": str(step)},
                )
            version = step
    return version
