"""What the plan says about an industry at a place: plan-fit level, reasons and the chemical rule.

The rules are the plan's sections 三 and 四 as data (a :class:`layers.plan.Plan`, passed in):

* 四(二) names the cluster(s) each industry is to concentrate in → level ``leading`` (the same
  taxonomy industry under another name, e.g. 机器人 vs 特种装备, is ``related``);
* 四(二) lists the industries each axis concentrates → ``axis``;
* 四(一) gives each bay-side area its role and industries → ``bay_role``;
* 四(二) “合理引导” lists, per axis, industries to guide → ``guided``;
* 三(二)2 / 四(二) put 高端化工 into the two chemical clusters; with the province's “进区入园”
  policy, a chemical project anywhere else is not compliant.

Every reason is a :class:`analysis.findings.Finding` citing its plan section; ``i18n.render``
writes it in Chinese or English.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from analysis.findings import Finding, bilingual
from analysis.siting.config import FIT_LEVELS
from analysis.siting.project import ProjectSpec
from layers.plan import Plan

__all__ = ["Fit", "chemical_rule", "cluster_fit", "match", "project_notes", "zone_fit"]


@dataclass(frozen=True)
class Fit:
    """Best plan-fit level and every reason found (findings, best level's first as found)."""

    level: str
    findings: tuple[Finding, ...]


def _split(terms: str | Iterable[str]) -> list[str]:
    if isinstance(terms, str):
        return [t for t in terms.split("、") if t]
    return [str(t) for t in terms]


def match(plan: Plan, project: ProjectSpec, plan_terms: str | Iterable[str]) -> str | None:
    """How the project's industry matches a list of plan terms: ``"exact"``, ``"related"`` or None.

    Exact: the same term, or the same taxonomy industry where either side names the whole
    industry (新能源汽车零部件 matches 新能源汽车). Related: the same taxonomy industry, both
    terms specific (机器人 vs 特种装备).
    """
    terms = _split(plan_terms)
    if project.term in terms:
        return "exact"
    same = [found for t in terms if (found := plan.term(t)) is not None and found.industry == project.industry]
    if not same:
        return None
    if project.term_kind == "industry" or any(t.kind == "industry" for t in same):
        return "exact"
    return "related"


Reason = tuple[str, Finding]  # (plan-fit level, finding)


def _axis_reasons(plan: Plan, project: ProjectSpec, axis_ids: Iterable[str]) -> list[Reason]:
    out: list[Reason] = []
    for axis_id in axis_ids:
        axis = plan.axis(axis_id)
        if axis is None:
            continue
        name = bilingual(axis.name, axis.name_en)
        if match(plan, project, axis.industries) == "exact":
            out.append(("axis", Finding("fit.axis", "info", axis.plan_section,
                                        {"axis": name, "industries": list(axis.industries)})))  # fmt: skip
        if match(plan, project, axis.guided) == "exact":
            out.append(("guided", Finding("fit.guided", "info", axis.plan_section,
                                          {"axis": name, "industries": list(axis.guided)})))  # fmt: skip
    return out


def _bay_reasons(plan: Plan, project: ProjectSpec, bay_id: str | None) -> list[Reason]:
    bay = plan.bay_area(bay_id)
    if bay is None or match(plan, project, bay.industries) != "exact":
        return []
    params = {"bay": bilingual(bay.name, bay.name_en), "industries": list(bay.industries),
              "role": bilingual(bay.role, bay.role_en)}  # fmt: skip
    return [("bay_role", Finding("fit.bay_role", "info", bay.plan_section, params))]


def _reserve_reason(plan: Plan, project: ProjectSpec) -> list[Reason]:
    for d in plan.directives_of("reserve"):
        if project.term in d.terms:
            return [("guided", Finding("fit.reserve", "info", d.plan_section, {"text": d.text}))]
    return []


def _best(reasons: list[Reason], notes: Iterable[Finding] = ()) -> Fit:
    if not reasons:
        reasons = [("none", Finding("fit.none", "info", "三、四"))]
    level = min((r[0] for r in reasons), key=FIT_LEVELS.index)
    return Fit(level, tuple(r[1] for r in reasons) + tuple(notes))


def cluster_fit(
    plan: Plan,
    project: ProjectSpec,
    cluster_id: str,
    cluster_name: str,
    industries: str | Iterable[str],
    axis_id: str,
    bay_id: str | None,
    plan_named: bool,
) -> Fit:
    """Plan fit of the project for one cluster (see the module docstring for the levels)."""
    reasons: list[Reason] = []
    how = match(plan, project, industries)
    if how is not None:
        named = _split(industries)
        quote = next((d for d in plan.directives_of("concentrate") if cluster_id in d.clusters), None)
        if how == "exact" and quote is not None:
            reasons.append(("leading", Finding("fit.concentrate", "info", quote.plan_section, {"text": quote.text})))
        elif how == "exact":
            reasons.append(("leading", Finding("fit.leading", "info", "四(三)", {"industries": named})))
        else:
            params = {"industry": bilingual(project.industry_name, project.industry_name_en), "industries": named}
            reasons.append(("related", Finding("fit.related", "info", "三", params)))
    reasons += _axis_reasons(plan, project, [axis_id] if axis_id else []) + _bay_reasons(plan, project, bay_id)
    if reasons:
        reasons += _reserve_reason(plan, project)
    c = plan.cluster(cluster_id)
    name = bilingual(cluster_name, c.name_en if c is not None else cluster_name)
    notes = [] if plan_named else [Finding("fit.inferred_cluster", "warn", "四(三)", {"cluster": name})]
    return _best(reasons, notes)


def zone_fit(plan: Plan, project: ProjectSpec, axis_ids: Iterable[str], bay_id: str | None) -> Fit:
    """Plan fit of the project at a place outside the clusters (axis corridors, bay-side area)."""
    reasons = _axis_reasons(plan, project, axis_ids) + _bay_reasons(plan, project, bay_id)
    if reasons:
        reasons += _reserve_reason(plan, project)
    return _best(reasons)


def chemical_rule(plan: Plan, project: ProjectSpec, in_chemical_cluster: bool) -> Finding | None:
    """The chemical-park rule's failure here, or None when it allows the project."""
    if not project.chemical or in_chemical_cluster:
        return None
    d = plan.directives_of("restrict")[0]
    return Finding("rule.chemical", "fail", d.plan_section, {"rule": bilingual(d.rule, d.rule_en)})


def project_notes(plan: Plan, project: ProjectSpec) -> list[Finding]:
    """Plan statements about the industry that are not tied to a place (特色园区)."""
    return [Finding("note.special_park", "info", d.plan_section, {"text": d.text})
            for d in plan.directives_of("special_park") if project.term in d.terms]  # fmt: skip
