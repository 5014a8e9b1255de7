"""What the plan says about an industry at a place: plan-fit level, reasons and the chemical rule.

The rules are the plan's sections 三 and 四 as data (a :class:`layers.plan.Plan`, passed in):

* 四(二) names the cluster(s) each industry is to concentrate in → level ``leading`` (the same
  taxonomy industry under another name, e.g. 机器人 vs 特种装备, is ``related``);
* 四(二) lists the industries each axis concentrates → ``axis``;
* 四(一) gives each bay-side area its role and industries → ``bay_role``;
* 四(二) “合理引导” lists, per axis, industries to guide → ``guided``;
* 三(二)2 / 四(二) put 高端化工 into the two chemical clusters; with the province's “进区入园”
  policy, a chemical project anywhere else is not compliant.

Every reason cites its plan section (``【规划四(二)】…``) in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from analysis.project import ProjectSpec
from analysis.siting_config import FIT_LEVELS
from layers.plan import Plan

__all__ = ["Fit", "chemical_rule", "cluster_fit", "match", "project_notes", "zone_fit"]


@dataclass(frozen=True)
class Fit:
    """Best plan-fit level and every reason found (Chinese and English, same order)."""

    level: str
    reasons_zh: tuple[str, ...]
    reasons_en: tuple[str, ...]


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


def _concentrate_text(plan: Plan, cluster_id: str) -> tuple[str, str] | None:
    for d in plan.directives_of("concentrate"):
        if cluster_id in d.clusters:
            return d.plan_section, d.text
    return None


def _axis_reasons(plan: Plan, project: ProjectSpec, axis_ids: Iterable[str]) -> list[tuple[str, str, str]]:
    """(level, zh, en) reasons from the axes."""
    out: list[tuple[str, str, str]] = []
    for axis_id in axis_ids:
        axis = plan.axis(axis_id)
        if axis is None:
            continue
        sec = axis.plan_section
        if match(plan, project, axis.industries) == "exact":
            out.append((
                "axis",
                f"【规划{sec}】{axis.name}集聚发展{'、'.join(axis.industries)}等产业",
                f"[Plan {sec}] the {axis.name_en} concentrates this industry",
            ))  # fmt: skip
        if match(plan, project, axis.guided) == "exact":
            out.append((
                "guided",
                f"【规划{sec}】{axis.name}“合理引导{'、'.join(axis.guided)}等产业发展”",
                f"[Plan {sec}] the {axis.name_en} is to guide ('合理引导') this industry",
            ))  # fmt: skip
    return out


def _bay_reasons(plan: Plan, project: ProjectSpec, bay_id: str | None) -> list[tuple[str, str, str]]:
    bay = plan.bay_area(bay_id)
    if bay is None or match(plan, project, bay.industries) != "exact":
        return []
    sec = bay.plan_section
    return [(
        "bay_role",
        f"【规划{sec}】{bay.name}：{'、'.join(bay.industries)}，打造{bay.role}",
        f"[Plan {sec}] the {bay.name_en} is to develop this industry ({bay.role_en})",
    )]  # fmt: skip


def _reserve_reason(plan: Plan, project: ProjectSpec) -> list[tuple[str, str, str]]:
    for d in plan.directives_of("reserve"):
        if project.term in d.terms:
            return [("guided", f"【规划{d.plan_section}】{d.text}",
                     f"[Plan {d.plan_section}] guide this industry to clusters whose role fits")]  # fmt: skip
    return []


def _best(reasons: list[tuple[str, str, str]], notes: list[tuple[str, str]] = ()) -> Fit:
    if not reasons:
        reasons = [
            (
                "none",
                "规划第三、四部分未将该产业指向此处",
                "the plan (sections 三, 四) does not direct this industry here",
            )
        ]
    level = min((r[0] for r in reasons), key=FIT_LEVELS.index)
    rows = [(r[1], r[2]) for r in reasons] + list(notes)
    return Fit(level, tuple(r[0] for r in rows), tuple(r[1] for r in rows))


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
    reasons: list[tuple[str, str, str]] = []
    how = match(plan, project, industries)
    if how is not None:
        quote = _concentrate_text(plan, cluster_id)
        named = "、".join(_split(industries))
        if how == "exact":
            zh = f"【规划{quote[0]}】“{quote[1]}”" if quote else f"本集聚区主导产业：{named}"
            en = f"[Plan {quote[0]}] this cluster is where the plan concentrates the industry" if quote else (
                "leading industry of this cluster")  # fmt: skip
            reasons.append(("leading", zh, en))
        else:
            reasons.append(("related", f"同属{project.industry_name}：本集聚区主导产业为{named}",
                            f"same industry ({project.industry_name_en}), leading industries differ"))  # fmt: skip
    reasons += _axis_reasons(plan, project, [axis_id] if axis_id else []) + _bay_reasons(plan, project, bay_id)
    if reasons:
        reasons += _reserve_reason(plan, project)
    notes = [] if plan_named else [(f"注意：{cluster_name}为推测集聚区（规划未列名）",
                                    "note: this cluster is inferred, not named in the plan")]  # fmt: skip
    return _best(reasons, notes)


def zone_fit(plan: Plan, project: ProjectSpec, axis_ids: Iterable[str], bay_id: str | None) -> Fit:
    """Plan fit of the project at a place outside the clusters (axis corridors, bay-side area)."""
    reasons = _axis_reasons(plan, project, axis_ids) + _bay_reasons(plan, project, bay_id)
    if reasons:
        reasons += _reserve_reason(plan, project)
    return _best(reasons)


def chemical_rule(plan: Plan, project: ProjectSpec, in_chemical_cluster: bool) -> tuple[bool, str, str]:
    """Whether the chemical-park rule allows the project here; (ok, rule zh, rule en)."""
    if not project.chemical or in_chemical_cluster:
        return True, "", ""
    d = plan.directives_of("restrict")[0]
    zh = f"【不符合 · 规划{d.plan_section}】{d.rule}"
    en = f"[Not compliant · plan {d.plan_section}] {d.rule_en}"
    return False, zh, en


def project_notes(plan: Plan, project: ProjectSpec) -> tuple[list[str], list[str]]:
    """Plan statements about the industry that are not tied to a place (特色园区)."""
    zh, en = [], []
    for d in plan.directives_of("special_park"):
        if project.term in d.terms:
            zh.append(f"【规划{d.plan_section}】{d.text}：可考虑区（市）级特色园区")
            en.append(f"[Plan {d.plan_section}] special parks are supported for this industry")
    return zh, en
