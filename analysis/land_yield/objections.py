"""Objections to a published class and their decisions (issue 13, 5): the register and its effect on a result.

After the public notice (济宁: five working days) a firm may object to its class. An analyst records
the objection and, once reviewed, the decision: the class is kept, or changed (with the reason).
The register is append-only — a later entry for the same firm supersedes an earlier one, so every
step stays on record (the workspace writes each entry to its audit log).

:func:`apply_objections` turns the register into the result every output shows: the class after
review in ``class`` (with ``class_name`` and ``policy``), the class as evaluated in
``class_evaluated``, the state of the review in ``objection`` and a sentence in ``objection_zh`` /
``objection_en``. Scores and ranks stay as calculated: a decision changes the class, not the data.

An entry records the class it was made against; applied to a result that rates the firm otherwise
(other data or parameters since), it is not applied, and a warning says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from analysis.land_yield.config import CLASS_INFO
from analysis.land_yield.sources import normalise_codes
from geo.text import clean_text

__all__ = [
    "DECISIONS",
    "OBJECTION_COLUMNS",
    "Objection",
    "ObjectionError",
    "apply_objections",
    "effective",
    "make_objection",
    "read_register",
    "register_table",
]

# decision id → (Chinese, English) as a register file spells it
DECISIONS = {"pending": ("待复核", "pending"), "kept": ("维持", "kept"), "changed": ("调整", "changed")}
OBJECTION_COLUMNS = ("class_evaluated", "objection", "objection_zh", "objection_en")
_RATED = ("A", "B", "C", "D")
MAX_TEXT = 2000  # characters of a claim or reason


class ObjectionError(ValueError):
    """An objection that cannot be recorded (unknown firm, class, decision; no reason …), said in both languages."""


@dataclass(frozen=True)
class Objection:
    """One entry of the register.

    Attributes
    ----------
    credit_code : str
        The firm's 统一社会信用代码 (normalised).
    name : str
        The firm's name when recorded.
    class_before : str
        The class objected to (A–D).
    decision : str
        ``pending``, ``kept`` or ``changed`` (see :data:`DECISIONS`).
    class_after : str
        The class after review: ``class_before`` when kept, another class when changed, ``""`` when pending.
    claim : str
        What the firm says.
    reason : str
        Why the class was kept or changed (required for a decision).
    received : str
        When the objection was received (ISO date, as typed).
    recorded_by : str
        Who recorded the entry.
    recorded_at : str
        When (UTC, ISO 8601), set by the workspace.
    """

    credit_code: str
    name: str
    class_before: str
    decision: str
    class_after: str
    claim: str
    reason: str = ""
    received: str = ""
    recorded_by: str = ""
    recorded_at: str = ""


def _text(value: object, what_zh: str, what_en: str, required: bool = False) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else clean_text(str(value)).strip()
    if required and not text:
        raise ObjectionError(f"请填写{what_zh} / {what_en} is required")
    if len(text) > MAX_TEXT:
        raise ObjectionError(f"{what_zh}超过 {MAX_TEXT} 字 / {what_en} is longer than {MAX_TEXT} characters")
    return text


def _decision(value: object) -> str:
    text = _text(value, "决定", "the decision", required=True)
    for key, (zh, en) in DECISIONS.items():
        if text in (key, zh, en) or text.lower() == en:
            return key
    names = "、".join(zh for zh, _ in DECISIONS.values())
    raise ObjectionError(f"决定“{text}”不可识别，应为 {names} / unknown decision {text!r}: use {', '.join(DECISIONS)}")


def make_objection(
    result: pd.DataFrame,
    credit_code: str,
    claim: str,
    decision: str,
    class_after: str = "",
    reason: str = "",
    received: str = "",
    recorded_by: str = "",
) -> Objection:
    """An objection checked against the result it is made about.

    Parameters
    ----------
    result : DataFrame
        An evaluation result (``credit_code``, ``name``, ``class``; ``class_evaluated`` where objections
        were applied already: the class objected to is the one evaluated).
    credit_code : str
        The firm (normalised before matching: full-width, spaces and dashes do not matter).
    claim, reason : str
        What the firm says; why the class is kept or changed (required unless pending).
    decision : str
        ``pending``, ``kept`` or ``changed`` (or 待复核, 维持, 调整).
    class_after : str
        The class after review, required when changed (A–D, not the class objected to).

    Raises
    ------
    ObjectionError
        Unknown firm, a firm not rated A–D, no claim, no reason for a decision, a change to the same
        class or to no class.

    Examples
    --------
    >>> result = pd.DataFrame({"credit_code": ["91370200MA3C00001X"], "name": ["甲公司"], "class": ["C"]})
    >>> o = make_objection(result, "91370200 MA3C 00001x", "税收漏计", "调整", "B", "补录税收后复核")
    >>> o.credit_code, o.class_before, o.decision, o.class_after
    ('91370200MA3C00001X', 'C', 'changed', 'B')
    >>> make_objection(result, "91370200MA3C00001X", "不服", "changed", "C", "复核")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.land_yield.objections.ObjectionError: 调整后类别须不同于原类别 C...
    """
    code = _code(credit_code)
    firm = _firm(result, code)
    if firm is None:
        raise ObjectionError(f"评价结果中没有统一社会信用代码为 {code} 的企业 / no firm with credit code {code}")
    before = str(firm["class_evaluated"] if "class_evaluated" in firm.index else firm["class"])
    if before not in _RATED:
        raise ObjectionError(f"{code} 未参与分类（类别“{before or '—'}”），无类别可复核 / {code} is not rated A–D")
    return _checked(code, str(firm["name"]), before, decision, class_after, claim, reason, received, recorded_by)


def _code(value: object) -> str:
    code = normalise_codes(pd.Series([value if isinstance(value, str) else ""])).iloc[0]
    if not code:
        raise ObjectionError("请填写统一社会信用代码 / the credit code is required")
    return str(code)


def _firm(result: pd.DataFrame, code: str) -> pd.Series | None:
    hit = result[(normalise_codes(result["credit_code"]) == code).to_numpy()]
    return None if hit.empty else hit.iloc[0]


def _checked(
    code: str, name: str, before: str, decision: object, class_after: object, claim: object, reason: object,
    received: object, recorded_by: object,
) -> Objection:  # fmt: skip
    """The entry with every field checked: the one place the register's rules live."""
    if before not in _RATED:
        raise ObjectionError(f"原类别应为 A、B、C、D 之一，当前为“{before}” / the class objected to must be A–D")
    kind = _decision(decision)
    after = _text(class_after, "调整后类别", "the class after review").upper()
    if kind == "changed":
        if after not in _RATED:
            raise ObjectionError(f"调整后类别应为 A、B、C、D 之一，当前为“{after}” / class after review must be A–D")
        if after == before:
            raise ObjectionError(f"调整后类别须不同于原类别 {before}（否则请选“维持”）/ a change must name another "
                                 f"class than {before} (or choose kept)")  # fmt: skip
    else:
        after = before if kind == "kept" else ""
    return Objection(
        credit_code=code, name=name, class_before=before, decision=kind, class_after=after,
        claim=_text(claim, "异议内容", "the claim", required=True),
        reason=_text(reason, "复核理由", "the reason", required=kind != "pending"),
        received=_text(received, "收到日期", "the date received"), recorded_by=_text(recorded_by, "记录人", "recorder"),
    )  # fmt: skip


def effective(register: Iterable[Objection]) -> dict[str, Objection]:
    """The entry in force per firm: the last one recorded (the register is in the order recorded)."""
    return {o.credit_code: o for o in register}


def _note(o: Objection) -> tuple[str, str]:
    if o.decision == "pending":
        return (f"已提出异议，待复核（原评价 {o.class_before} 类）", f"objection pending (rated {o.class_before})")
    if o.decision == "kept":
        return (f"经异议复核维持 {o.class_before} 类：{o.reason}", f"objection reviewed, class {o.class_before} kept: "
                f"{o.reason}")  # fmt: skip
    return (f"经异议复核由 {o.class_before} 类调整为 {o.class_after} 类：{o.reason}",
            f"objection reviewed, class changed from {o.class_before} to {o.class_after}: {o.reason}")  # fmt: skip


def apply_objections(result: pd.DataFrame, register: Sequence[Objection]) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """``result`` with the register's decisions in force, and warnings (Chinese, English) for entries not applied.

    Adds :data:`OBJECTION_COLUMNS`; a changed class replaces ``class`` (``class_name`` and ``policy``
    follow). An entry is not applied when its firm is not in the result or is rated otherwise than
    the class it was made against.

    Examples
    --------
    >>> result = pd.DataFrame({"credit_code": ["91370200MA3C00001X", "91370200MA3C00002X"], "name": ["甲", "乙"],
    ...                        "class": ["C", "D"], "class_name": ["", ""], "policy": ["", ""]})
    >>> o = Objection("91370200MA3C00001X", "甲", "C", "changed", "B", "漏计税收", "补录后复核")
    >>> out, warnings = apply_objections(result, [o])
    >>> out["class"].tolist(), out["class_evaluated"].tolist(), out["objection"].tolist(), warnings
    (['B', 'D'], ['C', 'D'], ['changed', ''], [])
    """
    base = result["class_evaluated"] if "class_evaluated" in result.columns else result["class"]
    out = result.copy()
    out["class"] = base.to_numpy()
    out["class_evaluated"] = base.to_numpy()
    for column in ("objection", "objection_zh", "objection_en"):
        out[column] = ""
    warnings: list[tuple[str, str]] = []
    if not register:
        return out, warnings
    codes = normalise_codes(out["credit_code"])
    position = pd.Series(range(len(out)), index=codes.to_numpy())
    position = position[~position.index.duplicated()]
    cls = out.columns.get_loc("class")
    for code, o in effective(register).items():
        if code not in position.index:
            warnings.append(
                (
                    f"异议登记中的 {code}（{o.name}）不在本次评价结果中，未应用",
                    f"objection of {code} ({o.name}) not applied: the firm is not in this result",
                )
            )
            continue
        i = int(position[code])
        if str(out.iat[i, cls]) != o.class_before:
            warnings.append((f"{code}（{o.name}）的异议针对 {o.class_before} 类，本次评价为 "
                             f"{out.iat[i, cls] or '—'} 类，未应用",
                             f"objection of {code} ({o.name}) was made against class {o.class_before}, this result "
                             f"rates it {out.iat[i, cls] or '—'}: not applied"))  # fmt: skip
            continue
        zh, en = _note(o)
        row = out.index[i]
        out.loc[row, ["objection", "objection_zh", "objection_en"]] = [o.decision, zh, en]
        if o.decision == "changed":
            info = CLASS_INFO[o.class_after]
            out.loc[row, "class"] = o.class_after
            for column, key in (("class_name", "zh"), ("policy", "policy")):
                if column in out.columns:
                    out.loc[row, column] = info[key]
    return out, warnings


_REGISTER = {
    "credit_code": ("统一社会信用代码", "credit code"), "name": ("企业名称", "name"),
    "class_before": ("原类别", "class objected to"), "decision": ("决定", "decision"),
    "class_after": ("复核后类别", "class after review"), "claim": ("异议内容", "claim"),
    "reason": ("复核理由", "reason"), "received": ("收到日期", "received"),
    "recorded_by": ("记录人", "recorded by"), "recorded_at": ("记录时间(UTC)", "recorded at (UTC)"),
}  # fmt: skip


def register_table(register: Sequence[Objection], lang: str = "zh") -> pd.DataFrame:
    """The register as a table (what the page shows and downloads; :func:`read_register` reads it back)."""
    i = 0 if lang == "zh" else 1
    rows = [{**o.__dict__, "decision": DECISIONS[o.decision][i]} for o in register]
    frame = pd.DataFrame(rows, columns=list(_REGISTER))
    return frame.rename(columns={k: v[i] for k, v in _REGISTER.items()})


def read_register(table: pd.DataFrame, result: pd.DataFrame) -> list[Objection]:
    """A register file's rows (either language's headers) as objections.

    A row's 原类别 is the class it was made against (else the firm's class in ``result``); an entry
    for a firm not in ``result``, or rated otherwise there, is kept — :func:`apply_objections` then
    says it is not applied — so that one register serves several runs.

    Raises
    ------
    ObjectionError
        A required column is missing, or a row cannot be an entry (its row number is said).

    Examples
    --------
    >>> result = pd.DataFrame({"credit_code": ["91370200MA3C00001X"], "name": ["甲"], "class": ["D"]})
    >>> table = pd.DataFrame({"统一社会信用代码": ["91370200MA3C00001X", "91370200MA3C00002X"],
    ...                       "决定": ["维持", "调整"], "原类别": ["", "C"], "复核后类别": ["", "B"],
    ...                       "异议内容": ["不服", "不服"], "复核理由": ["数据无误", "补录"]})
    >>> [(o.decision, o.class_before, o.class_after) for o in read_register(table, result)]
    [('kept', 'D', 'D'), ('changed', 'C', 'B')]
    """
    names = {label: key for key, labels in _REGISTER.items() for label in labels}
    columns = {c: names[clean_text(str(c)).strip()] for c in table.columns if clean_text(str(c)).strip() in names}
    frame = table.rename(columns=columns)
    missing = [k for k in ("credit_code", "decision", "claim") if k not in frame.columns]
    if missing:
        need = "、".join(_REGISTER[k][0] for k in missing)
        raise ObjectionError(f"异议登记表缺少列：{need} / the register lacks columns {', '.join(missing)}")
    out = []
    for n, row in enumerate(frame.to_dict("records"), start=2):  # row 1 is the header
        try:
            code = _code(row.get("credit_code"))
            firm = _firm(result, code)
            given = _text(row.get("class_before"), "原类别", "the class objected to").upper()
            if given:
                before = given
            elif firm is not None:
                before = str(firm["class_evaluated"] if "class_evaluated" in firm.index else firm["class"])
            else:
                raise ObjectionError(f"评价结果中没有 {code}，且未填原类别 / {code} is not in the result and the row "
                                     "names no class objected to")  # fmt: skip
            name = _text(row.get("name"), "企业名称", "the name") or ("" if firm is None else str(firm["name"]))
            o = _checked(code, name, before, row.get("decision"), row.get("class_after"), row.get("claim"),
                         row.get("reason"), row.get("received"), row.get("recorded_by"))  # fmt: skip
        except ObjectionError as exc:
            raise ObjectionError(f"异议登记表第 {n} 行 / register row {n}: {exc}") from exc
        recorded_at = _text(row.get("recorded_at"), "记录时间", "recorded at")
        out.append(replace(o, recorded_at=recorded_at) if recorded_at else o)
    return out
