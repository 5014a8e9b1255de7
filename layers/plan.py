"""The plan as one immutable object: what the 14th Five-Year manufacturing plan says, as data.

:class:`Plan` holds the industry taxonomy (section 三) with every term the plan uses and the
everyday synonyms that stand for them, the three development axes with the industries they
concentrate and those they are to guide (合理引导), the three bay-side areas with their roles,
the clusters with their leading industries, the industry → place directives of section 四 and
the kinds of transport node. Analysis functions receive a ``Plan`` as an argument; they never read
the catalogue themselves. :func:`load_plan` builds it from ``layers/catalogue/*.toml``; tests build
toy plans directly (three clusters are enough).

Examples
--------
>>> plan = load_plan()
>>> plan.resolve_industry("芯片"), plan.plan_term("化工")
('ict', '高端化工')
>>> len(plan.clusters), [a.id for a in plan.axes][:1]
(14, ['chengyang_jimo_laixi'])
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

__all__ = [
    "NODE_KINDS",
    "NODE_KIND_NAMES",
    "Axis",
    "BayArea",
    "Cluster",
    "ClusterTarget",
    "Directive",
    "Industry",
    "Plan",
    "Synonym",
    "Term",
    "UnknownIndustryError",
    "load_plan",
]

NODE_KINDS = ("port", "airport", "rail_freight", "interchange")  # the kinds of transport node the plan relies on
NODE_KIND_NAMES = {  # (zh, en) of each kind
    "port": ("港口", "Port"),
    "airport": ("机场", "Airport"),
    "rail_freight": ("铁路货运站", "Rail freight"),
    "interchange": ("高速互通", "Expressway interchange"),
}


class UnknownIndustryError(KeyError):
    """An industry term is not used by the plan; ``suggestions`` holds close matches (industry words only)."""

    def __init__(self, term: str, suggestions: list[str]):
        self.term = term
        self.suggestions = suggestions
        hint = f"；相近的有 / close matches: {'、'.join(suggestions)}" if suggestions else ""
        super().__init__(f"规划中没有产业“{term}” / unknown industry {term!r}{hint}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@dataclass(frozen=True)
class Industry:
    """An industry of the taxonomy (plan 三); ``chemical``: the chemical-park rule applies."""

    id: str
    name: str
    name_en: str
    plan_section: str = "三"
    subsectors: tuple[str, ...] = ()
    chemical: bool = False
    group: str = ""
    group_name: str = ""
    group_name_en: str = ""
    codes: tuple[str, ...] = ()  # GB/T 4754-2017 codes (2–4 digits) whose firms count as this industry


@dataclass(frozen=True)
class ClusterTarget:
    """The plan's target for every key cluster (五(六)2): 主导产业集聚度 above ``threshold_pct`` % by ``year``."""

    threshold_pct: float = 80.0
    year: int = 2025
    plan_section: str = "五(六)2"
    text: str = ""


@dataclass(frozen=True)
class Term:
    """A word the plan uses for an industry; ``kind``: ``industry`` (the whole), ``subsector`` or ``term``."""

    term: str
    industry: str
    kind: str = "term"
    name_en: str = ""


@dataclass(frozen=True)
class Synonym:
    """An everyday word read as a plan term (``芯片`` → ``集成电路``), with why."""

    word: str
    term: str
    rationale: str = ""
    rationale_en: str = ""


@dataclass(frozen=True)
class Axis:
    """A development axis (plan 四(二)): the industries it concentrates and those it is to guide."""

    id: str
    name: str
    name_en: str
    industries: tuple[str, ...] = ()
    guided: tuple[str, ...] = ()
    plan_section: str = "四(二)"


@dataclass(frozen=True)
class BayArea:
    """A bay-side area (plan 四(一)) with its role and industries."""

    id: str
    name: str
    name_en: str
    industries: tuple[str, ...] = ()
    role: str = ""
    role_en: str = ""
    plan_section: str = "四(一)"


@dataclass(frozen=True)
class Cluster:
    """A municipal key cluster (plan 四(三)); ``plan_named`` False: inferred, not named in the plan."""

    id: str
    name: str
    name_en: str
    industries: tuple[str, ...] = ()
    axis: str = ""
    plan_named: bool = True
    chemical: bool = False


@dataclass(frozen=True)
class Directive:
    """An industry → place statement of plan 四 (``kind``: concentrate, axis, bay_role, guide, restrict,
    reserve, special_park); ``rule``/``rule_en`` are the short form of a hard rule."""

    id: str
    kind: str
    terms: tuple[str, ...]
    plan_section: str
    text: str
    clusters: tuple[str, ...] = ()
    axis: str = ""
    bay_area: str = ""
    note: str = ""
    rule: str = ""
    rule_en: str = ""


def _digits(code: str) -> str:
    """A GB/T 4754 code as digits: spaces and a leading section letter (C) removed."""
    return code.strip().upper().removeprefix("C").strip()


def _index(items: Iterable[object], key: str) -> Mapping[str, object]:
    out: dict[str, object] = {}
    for item in items:
        ident = getattr(item, key)
        if ident in out:
            raise ValueError(f"plan: duplicate {key} {ident!r}")
        out[ident] = item
    return MappingProxyType(out)


@dataclass(frozen=True)
class Plan:
    """Everything the plan says that analysis uses; immutable, checked when built.

    Industry names, ids and lower-case English names, subsectors and extra terms are all terms
    (:meth:`term`); synonyms are read as the term they stand for (:meth:`plan_term`).

    Raises
    ------
    ValueError
        A term, synonym, cluster or directive refers to something the plan does not have.
    """

    industries: tuple[Industry, ...]
    axes: tuple[Axis, ...] = ()
    bay_areas: tuple[BayArea, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    directives: tuple[Directive, ...] = ()
    extra_terms: tuple[Term, ...] = ()
    synonyms: tuple[Synonym, ...] = ()
    node_kinds: tuple[str, ...] = NODE_KINDS
    cluster_target: ClusterTarget = field(default_factory=ClusterTarget)
    _terms: Mapping[str, Term] = field(init=False, repr=False, compare=False)
    _lookup: Mapping[str, Mapping[str, object]] = field(init=False, repr=False, compare=False)
    _codes: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        industries = _index(self.industries, "id")
        terms: dict[str, Term] = {}
        for ind in self.industries:
            for word, kind in ((ind.name, "industry"), (ind.id, "industry"), (ind.name_en.lower(), "industry"),
                               *((s, "subsector") for s in ind.subsectors)):  # fmt: skip
                terms.setdefault(word, Term(word, ind.id, kind, ind.name_en if kind == "industry" else ""))
        for extra in self.extra_terms:
            if extra.industry not in industries:
                raise ValueError(f"plan: term {extra.term!r} maps to unknown industry {extra.industry!r}")
            terms.setdefault(extra.term, extra)
        for syn in self.synonyms:
            if syn.term not in terms:
                raise ValueError(f"plan: synonym {syn.word!r} names unknown term {syn.term!r}")
            if syn.word in terms:
                raise ValueError(f"plan: synonym {syn.word!r} is already a plan term")
        axes = _index(self.axes, "id")
        for c in self.clusters:
            if c.axis and c.axis not in axes:
                raise ValueError(f"plan: cluster {c.id!r} names unknown axis {c.axis!r}")
        clusters = _index(self.clusters, "id")
        for d in self.directives:
            unknown = [c for c in d.clusters if c not in clusters]
            if unknown:
                raise ValueError(f"plan: directive {d.id!r} names unknown clusters {unknown}")
        lookup = {"industry": industries, "axis": axes, "bay": _index(self.bay_areas, "id"), "cluster": clusters,
                  "synonym": _index(self.synonyms, "word")}  # fmt: skip
        codes = {code: ind.id for ind in self.industries for code in ind.codes}
        object.__setattr__(self, "_codes", MappingProxyType(codes))
        object.__setattr__(self, "_terms", MappingProxyType(terms))
        object.__setattr__(self, "_lookup", MappingProxyType(lookup))

    # --- lookups ------------------------------------------------------------------------------
    def industry_of_code(self, code: str) -> str | None:
        """The taxonomy industry of a GB/T 4754 code (longest matching code of the catalogue), or None.

        A leading section letter (``C``) and spaces are ignored.

        Examples
        --------
        >>> plan = load_plan()
        >>> plan.industry_of_code("3581"), plan.industry_of_code("C3511"), plan.industry_of_code("3311")
        ('biomedicine', 'equipment', None)
        """
        digits = _digits(code)
        for n in (4, 3, 2):
            found = self._codes.get(digits[:n]) if len(digits) >= n else None
            if found is not None:
                return found
        return None

    def code_decides(self, code: str) -> bool:
        """Whether a code is specific enough to tell the industry: no longer catalogue code under it says otherwise.

        Examples
        --------
        >>> plan = load_plan()
        >>> plan.code_decides("3511"), plan.code_decides("35"), plan.code_decides("37"), plan.code_decides("33")
        (True, False, False, True)
        """
        digits = _digits(code)
        if not digits.isdigit():
            return False
        own = self.industry_of_code(digits)
        return all(ind == own for k, ind in self._codes.items() if len(k) > len(digits) and k.startswith(digits))

    def industry(self, industry_id: str) -> Industry:
        """The taxonomy industry ``industry_id`` (KeyError when unknown)."""
        return self._lookup["industry"][industry_id]  # type: ignore[return-value]

    def axis(self, axis_id: str) -> Axis | None:
        """The axis ``axis_id``, or None."""
        return self._lookup["axis"].get(axis_id)  # type: ignore[return-value]

    def bay_area(self, bay_id: str | None) -> BayArea | None:
        """The bay-side area ``bay_id``, or None."""
        return self._lookup["bay"].get(bay_id or "")  # type: ignore[return-value]

    def cluster(self, cluster_id: str) -> Cluster | None:
        """The cluster ``cluster_id``, or None."""
        return self._lookup["cluster"].get(cluster_id)  # type: ignore[return-value]

    def term(self, word: str) -> Term | None:
        """The plan term ``word`` (exactly as the plan writes it, or lower-case English), or None."""
        return self._terms.get(word) or self._terms.get(word.lower())

    @property
    def terms(self) -> tuple[Term, ...]:
        """Every term, industries first."""
        return tuple(self._terms.values())

    def directives_of(self, kind: str) -> tuple[Directive, ...]:
        """The directives of one kind, in catalogue order."""
        return tuple(d for d in self.directives if d.kind == kind)

    # --- reading what a user typed ------------------------------------------------------------
    def plan_term(self, word: str) -> str:
        """The plan's own term for ``word``: itself, or the term a synonym stands for.

        Examples
        --------
        >>> load_plan().plan_term("家电")
        '智能家电'
        """
        key = word.strip()
        synonyms = self._lookup["synonym"]
        syn = synonyms.get(key) or synonyms.get(key.lower())
        return syn.term if isinstance(syn, Synonym) else key

    def resolve_industry(self, word: str) -> str:
        """The taxonomy industry id of any plan term or synonym.

        Raises
        ------
        UnknownIndustryError
            With up to five close matches among industry words (never a place name).
        """
        key = self.plan_term(word)
        found = self.term(key)
        if found is not None:
            return found.industry
        pool = list(self._terms) + [s.word for s in self.synonyms]
        close = difflib.get_close_matches(key, pool, n=5, cutoff=0.4)
        close += [t for t in pool if key and (key in t or t in key) and t not in close]
        raise UnknownIndustryError(word, close[:5])

    def restricted_terms(self) -> frozenset[str]:
        """Terms under a hard place rule (the chemical-park rule)."""
        return frozenset(t for d in self.directives_of("restrict") for t in d.terms)


@cache
def load_plan() -> Plan:
    """The plan of ``layers/catalogue`` (built once per process; the object is immutable).

    Raises
    ------
    layers.catalogue.CatalogueError
        A catalogue file is missing, malformed or inconsistent.
    """
    from layers import catalogue as cat

    industries = tuple(
        Industry(r.id, r.name, r.name_en, r.plan_section, tuple(r.subsectors), bool(r.chemical), r.group,
                 r.group_name, r.group_name_en, tuple(r.gbt4754))
        for r in cat.industries().itertuples()
    )  # fmt: skip
    extra = tuple(Term(r.term, r.industry, r.kind, r.name_en) for r in cat.industry_terms().itertuples()
                  if r.kind == "term")  # fmt: skip
    synonyms = tuple(Synonym(r.word, r.term, r.rationale, r.rationale_en) for r in cat.industry_synonyms().itertuples())
    axes = tuple(Axis(a["id"], a["name"], a["name_en"], tuple(a["industries"]), tuple(a["guided"]),
                      a.get("plan_section", "四(二)")) for a in cat.axes_table())  # fmt: skip
    bays = tuple(BayArea(b["id"], b["name"], b["name_en"], tuple(b["industries"]), b["role"], b.get("role_en", ""),
                         b.get("plan_section", "四(一)")) for b in cat.bay_areas_table())  # fmt: skip
    clusters = tuple(Cluster(r.id, r.name, r.name_en, tuple(r.industries), r.axis, bool(r.plan_named), bool(r.chemical))
                     for r in cat.clusters_table().itertuples())  # fmt: skip
    directives = tuple(
        Directive(r.id, r.kind, tuple(r.terms), r.plan_section, r.text, tuple(r.clusters), r.axis, r.bay_area, r.note,
                  r.rule, r.rule_en)
        for r in cat.directives().itertuples()
    )  # fmt: skip
    aim = cat.plan_info().get("cluster_target", {})
    target = ClusterTarget(float(aim.get("threshold_pct", 80.0)), int(aim.get("year", 2025)),
                           str(aim.get("plan_section", "五(六)2")), str(aim.get("text", "")))  # fmt: skip
    return Plan(industries, axes, bays, clusters, directives, extra, synonyms, cat.NODE_KINDS, target)
