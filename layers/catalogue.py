"""Read and validate the plan catalogue (the TOML files in ``layers/catalogue/``).

The catalogue is data, not code: planners and GIS staff edit the TOML files, and this module
checks them on load so that a typo surfaces as one precise :class:`CatalogueError` naming the
file and the entry, instead of a wrong map.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from layers.plan import NODE_KINDS, UnknownIndustryError

__all__ = [
    "CATALOGUE_DIR",
    "NODE_KINDS",
    "CatalogueError",
    "LayerSpec",
    "UnknownIndustryError",
    "axes_table",
    "bay_areas_table",
    "clusters_table",
    "directives",
    "industries",
    "industry_terms",
    "kpis",
    "layer_specs",
    "plan_info",
    "resolve_industry",
]

CATALOGUE_DIR = Path(__file__).with_name("catalogue")
GEOMETRY_QUALITIES = ("official", "approximate", "schematic", "synthetic")  # synthetic: generated sample data


class CatalogueError(ValueError):
    """A catalogue file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class LayerSpec:
    """A map layer of the plan: identity, titles, style and documented columns."""

    id: str
    title: str
    title_en: str
    geometry: str
    description: str
    description_en: str
    plan_section: str
    style: dict[str, Any]
    columns: dict[str, str]
    popup: tuple[str, ...] = ()
    style_inferred: dict[str, Any] = field(default_factory=dict)
    group: str = "plan"  # "plan": the plan's own layers; "siting": nodes, exclusion zones, plots

    def column_label(self, column: str, lang: str = "zh") -> str:
        """Label of a documented column: the part before `` / `` in zh, after it in en."""
        doc = self.columns.get(column, column)
        parts = re.split(r"\s*/\s+", doc, maxsplit=1)  # "中文 / English"; a slash without a space is text
        zh, en = parts[0], parts[1] if len(parts) > 1 else ""
        label = (en or zh) if lang == "en" else zh
        return re.split(r"：|:(?!\d)", label)[0].strip()  # an explanation after a colon; EPSG:4549 stays

    def label(self, lang: str = "zh") -> str:
        """Title in ``"zh"`` or ``"en"``."""
        return self.title_en if lang == "en" else self.title


@cache
def _load(name: str) -> dict[str, Any]:
    path = CATALOGUE_DIR / f"{name}.toml"
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise CatalogueError(f"catalogue file missing: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path.name}: {exc}") from exc


def _entries(name: str, key: str, required: tuple[str, ...]) -> list[dict[str, Any]]:
    entries = _load(name).get(key, [])
    if not entries:
        raise CatalogueError(f"{name}.toml: no [[{key}]] entries")
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        missing = [f for f in required if f not in entry]
        if missing:
            raise CatalogueError(f"{name}.toml: [[{key}]] #{i} lacks {', '.join(missing)}")
        ident = entry.get("id")
        if ident is not None:
            if ident in seen:
                raise CatalogueError(f"{name}.toml: duplicate id {ident!r}")
            seen.add(ident)
    return entries


def plan_info() -> dict[str, Any]:
    """Title, period and section names of the plan."""
    return dict(_load("plan"))


def layer_specs() -> dict[str, LayerSpec]:
    """The registry of map layers, keyed by layer id, in display order."""
    required = ("id", "title", "title_en", "geometry", "style", "columns", "description", "description_en")
    specs = {}
    for entry in _entries("layers", "layer", required):
        specs[entry["id"]] = LayerSpec(
            id=entry["id"],
            title=entry["title"],
            title_en=entry["title_en"],
            geometry=entry["geometry"],
            description=entry["description"],
            description_en=entry["description_en"],
            plan_section=entry.get("plan_section", ""),
            style=dict(entry["style"]),
            columns=dict(entry["columns"]),
            popup=tuple(entry.get("popup", ())),
            style_inferred=dict(entry.get("style_inferred", {})),
            group=entry.get("group", "plan"),
        )
        unknown = [c for c in specs[entry["id"]].popup if c not in entry["columns"]]
        if unknown:
            raise CatalogueError(f"layers.toml: {entry['id']!r} popup lists undocumented columns {unknown}")
    return specs


def _check_quality(name: str, entry: dict[str, Any]) -> None:
    quality = entry.get("geometry_quality")
    if quality not in GEOMETRY_QUALITIES:
        raise CatalogueError(
            f"{name}.toml: {entry.get('id')!r} has geometry_quality {quality!r}; "
            f"use one of {', '.join(GEOMETRY_QUALITIES)}"
        )


def bay_areas_table() -> list[dict[str, Any]]:
    """Bay-side area entries (plan 四(一)) as dictionaries."""
    required = ("id", "name", "name_en", "districts", "role", "industries", "plan_text", "geometry_quality")
    entries = _entries("bay_areas", "bay_area", required)
    for entry in entries:
        _check_quality("bay_areas", entry)
    return entries


def axes_table() -> list[dict[str, Any]]:
    """Axis entries (plan 四(二)) with their waypoint parts."""
    required = ("id", "name", "name_en", "road", "industries", "guided", "plan_text", "part", "geometry_quality")
    entries = _entries("axes", "axis", required)
    for entry in entries:
        _check_quality("axes", entry)
        for part in entry["part"]:
            points = part.get("waypoints", [])
            if len(points) < 2:
                raise CatalogueError(f"axes.toml: {entry['id']!r} part {part.get('name')!r} needs ≥ 2 waypoints")
            for point in points:
                if not (118.0 < point["lon"] < 122.0 and 35.0 < point["lat"] < 38.0):
                    raise CatalogueError(f"axes.toml: waypoint {point['name']!r} lies outside the Qingdao region")
    return entries


def clusters_table() -> pd.DataFrame:
    """Cluster entries (plan 四(三)) with defaults applied, one row per cluster."""
    required = ("id", "name", "name_en", "district", "axis", "industries", "plan_named", "plan_text", "centre")
    entries = _entries("clusters", "cluster", required)
    defaults = _load("clusters").get("defaults", {})
    axis_ids = {a["id"] for a in axes_table()} | {""}
    rows = []
    for entry in entries:
        row = {**defaults, "chemical": False, "area_km2_published": None, "area_note": "", **entry}
        if row["axis"] not in axis_ids:
            raise CatalogueError(f"clusters.toml: {row['id']!r} names unknown axis {row['axis']!r}")
        _check_quality("clusters", row)
        row["centre_lon"] = float(row["centre"]["lon"])
        row["centre_lat"] = float(row["centre"]["lat"])
        del row["centre"]
        rows.append(row)
    return pd.DataFrame(rows)


def transport_nodes_table() -> list[dict[str, Any]]:
    """Transport nodes (ports, airport, rail freight, interchanges) with defaults applied."""
    required = ("id", "name", "name_en", "kind", "lon", "lat", "source")
    defaults = _load("transport_nodes").get("defaults", {})
    rows = []
    for entry in _entries("transport_nodes", "node", required):
        row = {**defaults, "accuracy_km": 5.0, **entry}
        if row["kind"] not in NODE_KINDS:
            raise CatalogueError(f"transport_nodes.toml: {row['id']!r} has kind {row['kind']!r}; known: {NODE_KINDS}")
        _check_quality("transport_nodes", row)
        rows.append(row)
    return rows


@cache
def industries() -> pd.DataFrame:
    """The industry taxonomy of plan section 三, one row per industry.

    Columns: id, name, name_en, group, group_name, group_name_en, plan_section, subsectors
    (list of str), chemical (bool), gbt4754 (list of GB/T 4754-2017 codes, 2–4 digits, each code
    given to one industry only).
    """
    groups = {g["id"]: g for g in _entries("industries", "group", ("id", "name", "name_en"))}
    rows = []
    claimed: dict[str, str] = {}
    for entry in _entries("industries", "industry", ("id", "name", "name_en", "group", "plan_section")):
        group = groups.get(entry["group"])
        if group is None:
            raise CatalogueError(f"industries.toml: {entry['id']!r} names unknown group {entry['group']!r}")
        for code in entry.get("gbt4754", []):
            if not (isinstance(code, str) and code.isascii() and code.isdigit() and 2 <= len(code) <= 4):
                raise CatalogueError(f"industries.toml: {entry['id']!r} has GB/T 4754 code {code!r}: 2–4 digits")
            if code in claimed:
                raise CatalogueError(f"industries.toml: GB/T 4754 code {code} is given to {claimed[code]!r} "
                                     f"and {entry['id']!r}")  # fmt: skip
            claimed[code] = entry["id"]
        rows.append(
            {
                "id": entry["id"],
                "name": entry["name"],
                "name_en": entry["name_en"],
                "group": entry["group"],
                "group_name": group["name"],
                "group_name_en": group["name_en"],
                "plan_section": entry["plan_section"],
                "subsectors": list(entry.get("subsectors", [])),
                "chemical": bool(entry.get("chemical", False)),
                "gbt4754": list(entry.get("gbt4754", [])),
            }
        )
    return pd.DataFrame(rows)


@cache
def industry_terms() -> pd.DataFrame:
    """Every industry term the plan uses, resolved to a taxonomy industry id.

    Columns: term, industry, kind (``"industry"``, ``"subsector"`` or ``"term"``), name_en.
    Industry names, ids and English names, subsectors and the extra terms of section 四 are all
    included, so that any of them can be used in a query.
    """
    table = industries()
    rows: list[dict[str, str]] = []
    for ind in table.itertuples():
        rows.append({"term": ind.name, "industry": ind.id, "kind": "industry", "name_en": ind.name_en})
        rows.append({"term": ind.id, "industry": ind.id, "kind": "industry", "name_en": ind.name_en})
        rows.append({"term": ind.name_en.lower(), "industry": ind.id, "kind": "industry", "name_en": ind.name_en})
        for sub in ind.subsectors:
            rows.append({"term": sub, "industry": ind.id, "kind": "subsector", "name_en": ""})
    known = set(table["id"])
    for entry in _entries("industries", "term", ("term", "industry")):
        if entry["industry"] not in known:
            raise CatalogueError(f"industries.toml: term {entry['term']!r} maps to unknown {entry['industry']!r}")
        rows.append(
            {"term": entry["term"], "industry": entry["industry"], "kind": "term", "name_en": entry.get("name_en", "")}
        )
    terms = pd.DataFrame(rows).drop_duplicates("term", keep="first").reset_index(drop=True)
    return terms


@cache
def industry_synonyms() -> pd.DataFrame:
    """Everyday words read as a plan term (``化工`` → ``高端化工``, ``芯片`` → ``集成电路``).

    Columns: word, term (a term of :func:`industry_terms`), industry (its taxonomy id),
    rationale, rationale_en (why, with the plan section).

    Examples
    --------
    >>> industry_synonyms().set_index("word").loc["芯片", "term"]
    '集成电路'
    """
    terms = industry_terms().set_index("term")
    rows = []
    for entry in _entries("industries", "synonym", ("word", "term", "rationale", "rationale_en")):
        if entry["term"] not in terms.index:
            raise CatalogueError(f"industries.toml: synonym {entry['word']!r} names unknown term {entry['term']!r}")
        if entry["word"] in terms.index:
            raise CatalogueError(f"industries.toml: synonym {entry['word']!r} is already a plan term")
        rows.append({**{k: entry[k] for k in ("word", "term", "rationale", "rationale_en")},
                     "industry": terms.loc[entry["term"], "industry"]})  # fmt: skip
    table = pd.DataFrame(rows)
    if table["word"].duplicated().any():
        raise CatalogueError(
            f"industries.toml: duplicate synonyms {sorted(table.loc[table['word'].duplicated(), 'word'])}"
        )
    return table


def plan_term(term: str) -> str:
    """The plan's own term for ``term`` (:meth:`layers.plan.Plan.plan_term` of the catalogue's plan).

    Examples
    --------
    >>> plan_term("化工"), plan_term("集成电路")
    ('高端化工', '集成电路')
    """
    from layers.plan import load_plan

    return load_plan().plan_term(term)


def resolve_industry(term: str) -> str:
    """The taxonomy industry id of a plan term (:meth:`layers.plan.Plan.resolve_industry`).

    Raises
    ------
    UnknownIndustryError
        With up to five close matches when the term is not used by the plan.

    Examples
    --------
    >>> resolve_industry("集成电路"), resolve_industry("芯片")
    ('ict', 'ict')
    """
    from layers.plan import load_plan

    return load_plan().resolve_industry(term)


@cache
def directives() -> pd.DataFrame:
    """Industry → place directives of plan section 四 (one row per directive).

    Columns: id, kind, terms (list), clusters (list), axis, bay_area, plan_section, text, note,
    rule and rule_en (the short form of a hard rule, for ``restrict``).
    """
    rows = []
    for entry in _entries("directives", "directive", ("id", "kind", "terms", "plan_section", "text")):
        rows.append(
            {
                "id": entry["id"],
                "kind": entry["kind"],
                "terms": list(entry["terms"]),
                "clusters": list(entry.get("clusters", [])),
                "axis": entry.get("axis", ""),
                "bay_area": entry.get("bay_area", ""),
                "plan_section": entry["plan_section"],
                "text": entry["text"],
                "note": entry.get("note", ""),
                "rule": entry.get("rule", ""),
                "rule_en": entry.get("rule_en", ""),
            }
        )
    return pd.DataFrame(rows)


def kpis() -> pd.DataFrame:
    """The KPI table of plan 二(三): 2020 baseline, 2025 target, unit and attribute."""
    required = ("category", "name", "name_en", "unit", "target_2025", "attribute")
    rows = []
    for entry in _entries("kpis", "kpi", required):
        if entry["attribute"] not in ("预期性", "约束性"):
            raise CatalogueError(f"kpis.toml: {entry['name']!r} has attribute {entry['attribute']!r}")
        rows.append(
            {
                "category": entry["category"],
                "category_en": entry.get("category_en", ""),
                "name": entry["name"],
                "name_en": entry["name_en"],
                "unit": entry["unit"],
                "baseline_2020": entry.get("baseline_2020"),
                "baseline_note": entry.get("baseline_note", ""),
                "target_2025": entry["target_2025"],
                "target_value": entry.get("target_value"),
                "attribute": entry["attribute"],
                "attribute_en": "expected" if entry["attribute"] == "预期性" else "binding",
            }
        )
    return pd.DataFrame(rows)
