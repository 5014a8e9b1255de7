"""What the plan says about an industry at a place: plan-fit level, reasons and the chemical rule.

The rules are the plan's sections 三 and 四 as data (``layers/catalogue``):

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
from functools import cache

from analysis.project import ProjectSpec
from analysis.siting_config import FIT_LEVELS
from layers.catalogue import axes_table, bay_areas_table, directives, industry_terms

__all__ = ["Fit", "chemical_rule", "cluster_fit", "project_notes", "zone_fit"]


@dataclass(frozen=True)
class Fit:
    """Best plan-fit level and every reason found (Chinese and English, same order)."""

    level: str
    reasons_zh: tuple[str, ...]
    reasons_en: tuple[str, ...]


@cache
def _term_info() -> tuple[dict[str, str], dict[str, str]]:
    terms = industry_terms()
    return dict(zip(terms["term"], terms["industry"], strict=True)), dict(
        zip(terms["term"], terms["kind"], strict=True)
    )


def _split(terms: str | Iterable[str]) -> list[str]:
    if isinstance(terms, str):
        return [t for t in terms.split("、") if t]
    return [str(t) for t in terms]


def match(project: ProjectSpec, plan_terms: str | Iterable[str]) -> str | None:
    """How the project's industry matches a list of plan terms: ``"exact"``, ``"related"`` or None.

    Exact: the same term, or the same taxonomy industry where either side names the whole
    industry (新能源汽车零部件 matches 新能源汽车). Related: the same taxonomy industry, both
    terms specific (机器人 vs 特种装备).
    """
    resolved, kind = _term_info()
    terms = _split(plan_terms)
    if project.term in terms:
        return "exact"
    same = [t for t in terms if resolved.get(t) == project.industry]
    if not same:
        return None
    if project.term_kind == "industry" or any(kind.get(t) == "industry" for t in same):
        return "exact"
    return "related"


@cache
def _directives() -> tuple:
    return tuple(directives().itertuples())


@cache
def _axes() -> dict[str, dict]:
    return {a["id"]: a for a in axes_table()}


@cache
def _bays() -> dict[str, dict]:
    return {b["id"]: b for b in bay_areas_table()}


def _concentrate_text(cluster_id: str) -> tuple[str, str] | None:
    for d in _directives():
        if d.kind == "concentrate" and cluster_id in d.clusters:
            return d.plan_section, d.text
    return None


def _axis_reasons(project: ProjectSpec, axis_ids: Iterable[str]) -> tuple[list[tuple[str, str, str]], bool]:
    """(level, zh, en) reasons from the axes; and whether a guided match was found."""
    out: list[tuple[str, str, str]] = []
    for axis_id in axis_ids:
        axis = _axes().get(axis_id)
        if axis is None:
            continue
        sec = axis.get("plan_section", "四(二)")
        if match(project, axis["industries"]) == "exact":
            out.append((
                "axis",
                f"【规划{sec}】{axis['name']}集聚发展{'、'.join(axis['industries'])}等产业",
                f"[Plan {sec}] the {axis['name_en']} concentrates this industry",
            ))  # fmt: skip
        if match(project, axis["guided"]) == "exact":
            out.append((
                "guided",
                f"【规划{sec}】{axis['name']}“合理引导{'、'.join(axis['guided'])}等产业发展”",
                f"[Plan {sec}] the {axis['name_en']} is to guide ('合理引导') this industry",
            ))  # fmt: skip
    return out, any(level == "guided" for level, _, _ in out)


def _bay_reasons(project: ProjectSpec, bay_id: str | None) -> list[tuple[str, str, str]]:
    bay = _bays().get(bay_id or "")
    if bay is None or match(project, bay["industries"]) != "exact":
        return []
    sec = bay.get("plan_section", "四(一)")
    return [(
        "bay_role",
        f"【规划{sec}】{bay['name']}：{'、'.join(bay['industries'])}，打造{bay['role']}",
        f"[Plan {sec}] the {bay['name_en']} is to develop this industry ({bay.get('role_en', '')})",
    )]  # fmt: skip


def _reserve_reason(project: ProjectSpec) -> list[tuple[str, str, str]]:
    for d in _directives():
        if d.kind == "reserve" and project.term in d.terms:
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
    how = match(project, industries)
    if how is not None:
        quote = _concentrate_text(cluster_id)
        named = "、".join(_split(industries))
        if how == "exact":
            zh = f"【规划{quote[0]}】“{quote[1]}”" if quote else f"本集聚区主导产业：{named}"
            en = f"[Plan {quote[0]}] this cluster is where the plan concentrates the industry" if quote else (
                "leading industry of this cluster")  # fmt: skip
            reasons.append(("leading", zh, en))
        else:
            reasons.append(("related", f"同属{project.industry_name}：本集聚区主导产业为{named}",
                            f"same industry ({project.industry_name_en}), leading industries differ"))  # fmt: skip
    axis_r, _ = _axis_reasons(project, [axis_id] if axis_id else [])
    reasons += axis_r + _bay_reasons(project, bay_id)
    if reasons:
        reasons += _reserve_reason(project)
    notes = [] if plan_named else [(f"注意：{cluster_name}为推测集聚区（规划未列名）",
                                    "note: this cluster is inferred, not named in the plan")]  # fmt: skip
    return _best(reasons, notes)


def zone_fit(project: ProjectSpec, axis_ids: Iterable[str], bay_id: str | None) -> Fit:
    """Plan fit of the project at a place outside the clusters (axis corridors, bay-side area)."""
    reasons, _ = _axis_reasons(project, axis_ids)
    reasons += _bay_reasons(project, bay_id)
    if reasons:
        reasons += _reserve_reason(project)
    return _best(reasons)


def chemical_rule(project: ProjectSpec, in_chemical_cluster: bool) -> tuple[bool, str, str]:
    """Whether the chemical-park rule allows the project here; (ok, rule zh, rule en)."""
    if not project.chemical or in_chemical_cluster:
        return True, "", ""
    d = next(d for d in _directives() if d.kind == "restrict")
    zh = f"【不符合 · 规划{d.plan_section}】{d.rule}"
    en = f"[Not compliant · plan {d.plan_section}] {d.rule_en}"
    return False, zh, en


def project_notes(project: ProjectSpec) -> tuple[list[str], list[str]]:
    """Plan statements about the industry that are not tied to a place (特色园区)."""
    zh, en = [], []
    for d in _directives():
        if d.kind == "special_park" and project.term in d.terms:
            zh.append(f"【规划{d.plan_section}】{d.text}：可考虑区（市）级特色园区")
            en.append(f"[Plan {d.plan_section}] special parks are supported for this industry")
    return zh, en
