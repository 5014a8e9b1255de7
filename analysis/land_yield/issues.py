"""Row-level validation messages ("第 12 行：用地面积(亩) 必须大于 0") collected as a table."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["ISSUE_COLUMNS", "IssueLog"]

ISSUE_COLUMNS = ("row", "column", "severity", "message_zh", "message_en")
_EN_LABELS = {"行": "row", "个要素": "feature", "家企业": "firm"}  # how rows are named in messages


@dataclass
class IssueLog:
    """Collects validation issues for rows of a table.

    ``row_label`` is how rows are named in messages: ``"行"`` for spreadsheet rows (numbered as
    Excel shows them), ``"个要素"`` for features of a vector file and ``"家企业"`` for the firms of
    tables joined by credit code.
    """

    row_label: str = "行"
    _parts: list[pd.DataFrame] = field(default_factory=list)

    def add(
        self,
        rows: pd.Series | np.ndarray,
        column: str,
        severity: str,
        zh: str,
        en: str,
        values: pd.Series | None = None,
        values_en: pd.Series | None = None,
    ) -> None:
        """Record one issue for each row number in ``rows`` (row 0: the file as a whole).

        ``zh``/``en`` may contain ``{value}``, filled from ``values`` (aligned with ``rows``), in
        English from ``values_en`` when given.
        """
        rows = np.asarray(rows)
        if rows.size == 0:
            return
        if severity not in ("error", "warning"):
            raise ValueError(f"severity must be 'error' or 'warning', got {severity!r}")
        label = self.row_label if self.row_label in _EN_LABELS else "行"
        en_label = _EN_LABELS[label]
        if values is not None and "{value}" in zh + en:
            texts = [str(v) for v in np.asarray(values)]
            texts_en = texts if values_en is None else [str(v) for v in np.asarray(values_en)]
            zh_body = [zh.format(value=v) for v in texts]
            en_body = [en.format(value=v) for v in texts_en]
        else:
            zh_body, en_body = [zh] * rows.size, [en] * rows.size
        self._parts.append(
            pd.DataFrame(
                {
                    "row": rows.astype(int),
                    "column": column,
                    "severity": severity,
                    "message_zh": [
                        f"第 {r} {label}：{m}" if r else f"文件：{m}" for r, m in zip(rows, zh_body, strict=True)
                    ],
                    "message_en": [
                        f"{en_label} {r}: {m}" if r else f"file: {m}" for r, m in zip(rows, en_body, strict=True)
                    ],
                }
            )
        )

    def table(self) -> pd.DataFrame:
        """All issues, ordered by row then severity (errors first)."""
        if not self._parts:
            return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "str") for c in ISSUE_COLUMNS})
        out = pd.concat(self._parts, ignore_index=True)
        out["_order"] = (out["severity"] != "error").astype(int)
        return out.sort_values(["row", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)
