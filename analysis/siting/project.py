"""A project to be sited: industry, land need, investment, tax and energy, validated.

Units: land in 亩 (1 亩 = 666.67 m²), money in 万元 (10 000 CNY), energy in 吨标准煤 (tce) a
year. The industry may be any term the plan uses (``新能源汽车``, ``集成电路``, ``高端化工``,
``机器人`` …), a taxonomy id (``nev``) or an English name, or an everyday synonym (``芯片``); it is
resolved against the plan given (:meth:`layers.plan.Plan.resolve_industry`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from layers.plan import Plan, UnknownIndustryError

__all__ = ["ProjectError", "ProjectSpec", "UnknownIndustryError", "make_project"]

MAX_LAND_MU = 100_000.0  # ≈ 67 km², more than any cluster's free land


class ProjectError(ValueError):
    """The project cannot be evaluated; the message says why (Chinese and English)."""


@dataclass(frozen=True)
class ProjectSpec:
    """A validated project.

    Attributes
    ----------
    term : str
        The plan's term for the industry asked (a synonym such as ``芯片`` becomes ``集成电路``).
    industry : str
        Taxonomy industry id (``industries.toml``).
    industry_name, industry_name_en : str
        Names of the taxonomy industry.
    term_kind : {"industry", "subsector", "term"}
        Whether ``term`` names a whole taxonomy industry or something more specific.
    chemical : bool
        A chemical project (the plan's chemical-park rule applies).
    land_mu : float
        Land needed, 亩.
    investment_wan, tax_wan, energy_tce : float or None
        Fixed-asset investment (万元), expected annual tax (万元), annual energy use (tce).
    """

    term: str
    industry: str
    industry_name: str
    industry_name_en: str
    term_kind: str
    chemical: bool
    land_mu: float
    investment_wan: float | None = None
    tax_wan: float | None = None
    energy_tce: float | None = None
    given: str = ""  # as typed, when it differs from ``term`` (a synonym)

    @property
    def investment_per_mu(self) -> float | None:
        """Investment intensity, 万元/亩."""
        return None if self.investment_wan is None else self.investment_wan / self.land_mu

    @property
    def tax_per_mu(self) -> float | None:
        """Tax per 亩, 万元/亩."""
        return None if self.tax_wan is None else self.tax_wan / self.land_mu

    @property
    def tax_per_tce(self) -> float | None:
        """Tax per tonne of standard coal, 万元/tce (None without energy or tax)."""
        if self.tax_wan is None or not self.energy_tce:
            return None
        return self.tax_wan / self.energy_tce

    def as_dict(self) -> dict[str, object]:
        """JSON-ready description (CLI output)."""
        return {
            "industry_term": self.term,
            "industry_given": self.given or self.term,
            "industry": self.industry,
            "industry_name": self.industry_name,
            "chemical": self.chemical,
            "land_mu": self.land_mu,
            "investment_wan": self.investment_wan,
            "tax_wan": self.tax_wan,
            "energy_tce": self.energy_tce,
        }


def _amount(value: float | None, name_zh: str, name_en: str, unit: str, required: bool = False) -> float | None:
    if value is None:
        if required:
            raise ProjectError(f"请填写{name_zh} / {name_en} is required")
        return None
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ProjectError(f"{name_zh} 须为数字 / {name_en} must be a number, got {value!r}") from exc
    if not math.isfinite(number) or number < 0:
        raise ProjectError(f"{name_zh} 须为非负数（{unit}）/ {name_en} must be a number ≥ 0 ({unit}), got {value!r}")
    return number


def make_project(
    plan: Plan,
    industry: str,
    land_mu: float,
    investment_wan: float | None = None,
    tax_wan: float | None = None,
    energy_tce: float | None = None,
) -> ProjectSpec:
    """Validate a project and resolve its industry in ``plan``.

    Parameters
    ----------
    plan : Plan
        The plan (:func:`layers.plan.load_plan`, or a toy plan in tests).
    industry : str
        A plan term, taxonomy id, English name or synonym.
    land_mu : float
        Land needed, 亩 (0 < land ≤ 100 000).
    investment_wan, tax_wan : float, optional
        Fixed-asset investment and expected annual tax, 万元 (≥ 0).
    energy_tce : float, optional
        Annual energy use, tonnes of standard coal (≥ 0).

    Raises
    ------
    ProjectError
        Missing or invalid numbers (land must be > 0 and ≤ 100 000 亩).
    UnknownIndustryError
        The industry is not a term of the plan; ``suggestions`` lists close matches.
    """
    given = (industry or "").strip()
    if not given:
        raise ProjectError("请填写产业 / the industry is required")
    industry_id = plan.resolve_industry(given)  # raises UnknownIndustryError
    term = plan.plan_term(given)  # a synonym (化工) is asked as the plan's own term (高端化工)
    land = _amount(land_mu, "用地需求", "land need", "亩", required=True)
    if land is None or land <= 0 or land > MAX_LAND_MU:
        raise ProjectError(
            f"用地需求须在 0–{MAX_LAND_MU:,.0f} 亩之间 / land need must be in (0, {MAX_LAND_MU:,.0f}] mu"
        )
    row = plan.industry(industry_id)
    found = plan.term(term)
    return ProjectSpec(
        term=term,
        industry=industry_id,
        industry_name=row.name,
        industry_name_en=row.name_en,
        term_kind=found.kind if found is not None else "industry",
        chemical=row.chemical or term in plan.restricted_terms(),
        land_mu=land,
        investment_wan=_amount(investment_wan, "投资额", "investment", "万元"),
        tax_wan=_amount(tax_wan, "年税收", "annual tax", "万元"),
        energy_tce=_amount(energy_tce, "年综合能耗", "annual energy use", "吨标准煤"),
        given=given,
    )
