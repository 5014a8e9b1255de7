"""Normalise text read from files: NFKC, no zero-width, bidi or control characters.

One credit code written in ASCII, in full-width characters and with a trailing zero-width space
is one code; a header ``经度\\u200b`` is ``经度``. Every reader passes its text cells and headers
through :func:`clean_text` / :func:`clean_series` before anything is matched.

* format characters (Unicode category Cf: zero-width spaces and joiners, bidi controls, BOM,
  soft hyphen) are removed;
* compatibility forms are folded (NFKC: full-width ``９１３７`` → ``9137``, ``（亩）`` → ``(亩)``) in
  headers and in the values that are matched (codes, names, categories); free text keeps them;
* control characters (Cc: tab, newline, vertical tab …) and line/paragraph separators become
  a space; leading and trailing white space is removed.

Examples
--------
>>> clean_text("９１３７０２００ＭＡ３Ｃ\\u200b")
'91370200MA3C'
>>> clean_text("\\u202e青岛\\x0b机械 ")
'青岛 机械'
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["clean_array", "clean_frame_text", "clean_series", "clean_text"]

_FORMAT = r"\p{Cf}+"
_CONTROL = r"[\p{Cc}\x{2028}\x{2029}]+"
_NOT_PRINTABLE_ASCII = r"[^\x20-\x7E]"


def clean_array(arr: pa.Array, fold: bool = True) -> pa.Array:
    """An Arrow string array, normalised as :func:`clean_series` does (nulls stay null).

    >>> clean_array(pa.array(["Ａ １ ", None])).to_pylist()
    ['A 1', None]
    """
    if not pc.any(pc.match_substring_regex(arr, _NOT_PRINTABLE_ASCII)).as_py():
        return pc.utf8_trim_whitespace(arr)  # printable ASCII only: nothing to fold or remove
    arr = pc.replace_substring_regex(arr, _FORMAT, "")
    arr = pc.utf8_normalize(arr, form="NFKC" if fold else "NFC")
    arr = pc.replace_substring_regex(arr, _CONTROL, " ")
    return pc.utf8_trim_whitespace(arr)


def clean_text(value: str, fold: bool = True) -> str:
    """One string, normalised (see the module docstring); ``fold=False`` keeps compatibility forms (NFC)."""
    return str(clean_array(pa.array([value], type=pa.large_string()), fold)[0].as_py())


def clean_series(values: pd.Series, fold: bool = True) -> pd.Series:
    """A column of text, normalised (vectorised in Arrow; missing values stay missing).

    ``fold=True`` applies NFKC (for headers, codes, names and categories that are matched);
    ``fold=False`` applies NFC only, keeping the text as written (``…`` stays ``…``) while still
    removing invisible and control characters.

    Examples
    --------
    >>> clean_series(pd.Series(["Ａ１", None, "b\\u200d"])).tolist()
    ['A1', None, 'b']
    """
    arr = pa.array(values.astype(object).where(values.notna(), None), type=pa.large_string(), from_pandas=True)
    out = clean_array(arr, fold).to_pandas()
    out.index = values.index
    return out.astype(object).where(out.notna(), None) if values.isna().any() else out.astype(values.dtype)


def clean_frame_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame``: headers folded (NFKC), text cells cleaned without folding (other columns untouched)."""
    out = frame.copy()
    geometry = getattr(frame, "_geometry_column_name", None)
    for column in out.columns:
        if column == geometry:
            continue
        values = out[column]
        textual = pd.api.types.is_string_dtype(values) or values.dtype == object
        if textual and values.map(lambda v: v is None or isinstance(v, str)).all():
            out[column] = clean_series(values, fold=False)
    renames = {c: clean_text(c) for c in out.columns if isinstance(c, str) and c != geometry}
    return out.rename(columns={k: v for k, v in renames.items() if k != v})
