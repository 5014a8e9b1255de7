"""Findings: what analysis concludes, as data — never as sentences.

A :class:`Finding` has a ``code`` (what was found, e.g. ``rule.chemical``), a ``severity``
(``fail``: a rule is not met; ``warn``; ``info``), the plan ``section`` it rests on and its
``params`` (numbers, ids and names). Names that exist in both languages are given as
``{"zh": …, "en": …}``. One renderer (:func:`i18n.render.render`) turns findings into Chinese or
English for the UI, the command line, spreadsheets and reports; the workspace stores findings
(:meth:`Finding.to_dict`), so a saved study shows in either language. No code decides anything
from rendered text: it looks at ``code`` and ``severity``.

Examples
--------
>>> f = Finding("rule.land", "fail", params={"need": 190.0})
>>> import pickle
>>> Finding.from_dict(f.to_dict()) == f == pickle.loads(pickle.dumps(f)), f.failed
(True, True)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

__all__ = ["SEVERITIES", "Finding", "bilingual", "failures"]

Severity = Literal["fail", "warn", "info"]
SEVERITIES: tuple[Severity, ...] = ("fail", "warn", "info")


def bilingual(zh: str, en: str) -> dict[str, str]:
    """A name in both languages, as findings carry it (``en`` falls back to ``zh`` when empty)."""
    return {"zh": str(zh), "en": str(en or zh)}


def _plain(value: Any) -> Any:
    """JSON-safe: NumPy scalars as Python values, tuples as lists, non-finite floats as None."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Finding:
    """One conclusion of analysis: ``code``, ``severity``, plan ``section`` and ``params``."""

    code: str
    severity: Severity = "info"
    section: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")
        object.__setattr__(self, "params", MappingProxyType(_plain(dict(self.params))))

    def __hash__(self) -> int:
        return hash((self.code, self.severity, self.section, repr(sorted(self.params.items()))))

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:  # picklable (Streamlit caches results)
        return (Finding.from_dict, (self.to_dict(),))

    @property
    def failed(self) -> bool:
        """A rule is not met."""
        return self.severity == "fail"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (what the workspace stores)."""
        return {"code": self.code, "severity": self.severity, "section": self.section, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """The finding of :meth:`to_dict`."""
        return cls(str(data["code"]), data.get("severity", "info"), str(data.get("section", "")),
                   dict(data.get("params") or {}))  # fmt: skip


def failures(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that are failed rules."""
    return [f for f in findings if f.failed]
