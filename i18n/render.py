"""The one renderer: findings (:class:`analysis.findings.Finding`) as Chinese or English text.

Templates live in ``findings.toml``, one ``[code]`` table with ``zh`` and ``en``, written with
:meth:`str.format` fields. A parameter given as ``{"zh": …, "en": …}`` is read in the language
asked; the format spec ``:t`` reads the value as a key of ``strings.toml``, ``:list`` joins a
list, ``:factors`` writes ``[factor, points]`` pairs with the factors' names
(``factor_<id>``), and ``:cmp`` marks numbers compared with each other in one sentence: they
share the fewest decimals (at least one) that keep different numbers different, so a rule never
reads "0.2 < 0.2" (issue 12). An unknown code is a programming error and raises ``KeyError`` (tests render
every code).

Examples
--------
>>> from analysis.findings import Finding, bilingual
>>> axis = bilingual("胶州-平度轴带", "Jiaozhou-Pingdu axis")
>>> f = Finding("reason.axis_distance", params={"axis": axis, "km": 2.04})
>>> render(f, "zh")
'距胶州-平度轴带 2.0 km（轴带沿路网的近似走向）'
>>> render(f, "en")
'2.0 km from the Jiaozhou-Pingdu axis (its approximate course along the road network)'
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from i18n import t

__all__ = ["codes", "location_lines", "render", "render_all"]


class _FindingLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def section(self) -> str: ...
    @property
    def params(self) -> Mapping[str, Any]: ...


@cache
def _templates() -> dict[str, dict[str, str]]:
    with Path(__file__).with_name("findings.toml").open("rb") as fh:
        return tomllib.load(fh)


def codes() -> list[str]:
    """Every finding code that has a template."""
    return list(_templates())


def _shared_decimals(values: Iterable[float], most: int = 6) -> int:
    """The fewest decimals (≥ 1, ≤ ``most``) at which distinct ``values`` stay distinct.

    Examples
    --------
    >>> _shared_decimals([0.19, 0.2]), _shared_decimals([47.06, 50.0]), _shared_decimals([0.1996, 0.2])
    (2, 1, 4)
    """
    numbers = sorted({float(v) for v in values})
    for decimals in range(1, most + 1):
        if len({round(v, decimals) for v in numbers}) == len(numbers):
            return decimals
    return most


class _Formatter(string.Formatter):
    def __init__(self, lang: str, decimals: int = 1):
        self.lang = lang
        self.decimals = decimals  # for the ``:cmp`` fields of this template

    def _pick(self, value: Any) -> Any:
        if isinstance(value, Mapping) and "zh" in value:
            return value.get(self.lang) or value["zh"]
        return value

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "factors":
            sep = "，" if self.lang == "zh" else ", "
            return sep.join(f"{t('factor_' + str(f), self.lang)} {float(p):.1f}" for f, p in value)
        if format_spec == "t":  # the value is a key of strings.toml
            return t(str(value), self.lang)
        value = self._pick(value)
        if format_spec == "list":
            return ("、" if self.lang == "zh" else ", ").join(str(self._pick(v)) for v in value)
        if value is None:
            return "—"
        if format_spec == "cmp":
            return f"{float(value):,.{self.decimals}f}"
        return super().format_field(value, format_spec)


def render(finding: _FindingLike, lang: str = "zh") -> str:
    """``finding`` as one line of text in ``lang`` (``"zh"`` or ``"en"``)."""
    entry = _templates()[finding.code]
    template = entry.get(lang) or entry["zh"]
    compared = [finding.params[name] for _, name, spec, _ in string.Formatter().parse(template)
                if spec == "cmp" and name and finding.params.get(name) is not None]  # fmt: skip
    return _Formatter(lang, _shared_decimals(compared)).format(template, section=finding.section, **finding.params)


def render_all(findings: Iterable[_FindingLike], lang: str = "zh") -> list[str]:
    """Every finding rendered, in order."""
    return [render(f, lang) for f in findings]


def location_lines(report: Any, lang: str = "zh") -> list[str]:
    """A point or area report (:class:`analysis.siting.location.LocationReport`) as lines of text."""
    from layers.plan import NODE_KIND_NAMES

    zh = lang == "zh"
    out = [f"{'位置' if zh else 'Location'}: WGS84 {report.lon:.5f}, {report.lat:.5f}"]
    if not report.on_land:
        out.append("不在青岛市陆域内" if zh else "Outside Qingdao's land area")
        return out
    if report.area_mu is not None:
        out.append(f"{'面积' if zh else 'Area'}: {report.area_mu:,.1f} {'亩' if zh else 'mu'}")
    out.append(f"{'区市' if zh else 'District'}: {report.district}")
    out.append(f"{'环湾城区' if zh else 'Bay-side area'}: {report.bay_area or ('—' if zh else 'none')}")
    if report.cluster:
        out.append(f"{'所在集聚区' if zh else 'Cluster'}: {report.cluster}")
    else:
        near = f"{report.nearest_cluster} {report.nearest_cluster_km:.1f} km"
        out.append(f"{'最近集聚区' if zh else 'Nearest cluster'}: {near}")
    for name, km, inside in report.axes:
        tag = ("（廊道内）" if zh else " (in corridor)") if inside else ""
        out.append(f"{'距' if zh else 'To '}{name}{'中心线' if zh else ' centreline'} {km:.1f} km{tag}")
    for kind, name, km, road, minutes in report.nodes:
        kind_name = NODE_KIND_NAMES[kind][0] if zh else NODE_KIND_NAMES[kind][1].lower()
        if road:
            how = f"路网 {km:.1f} km，约 {minutes:.0f} 分钟" if zh else f"{km:.1f} km by road, about {minutes:.0f} min"
        else:
            how = f"直线 {km:.1f} km" if zh else f"{km:.1f} km in a straight line"
        out.append(f"最近{kind_name}: {name}，{how}" if zh else f"Nearest {kind_name}: {name}, {how}")
    for name, mu in report.overlaps:
        out.append(f"{'重叠' if zh else 'Overlaps'} {name}: {mu:,.1f} {'亩' if zh else 'mu'}")
    if report.exclusion:
        out.append(f"{'禁止建设区' if zh else 'Exclusion zone'}: {report.exclusion}")
    if report.fit is not None:
        verdict = ("符合" if zh else "compliant") if report.compliant else ("不符合" if zh else "not compliant")
        out.append(f"{report.industry}: {verdict}；{'适宜性' if zh else 'suitability'} {report.score:.1f}/100")
        out += render_all(report.failures, lang)
        out += render_all(report.fit.findings, lang)
    return out
