"""Several departments' tables on the 亩产效益 page: uploads kept, headers mapped, the join reported.

* :func:`page_input` — the input the page evaluates, as one ``(bytes, name)``: the default data, an
  uploaded table, or several tables (and a header map, preferred sources) packed as a bundle
  (:mod:`files.bundle`), kept across pages;
* :func:`header_map_panel` — headers the schema does not know, each mapped to a field; the mapping
  saved in the workspace as a preset for next year (and downloadable for ``--columns``);
* :func:`join_report` — the 数据合并 tab: per source, conflicting values (with the source that
  wins, which the analyst may change per field) and codes found in one source only.
"""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from analysis.land_yield.pipeline import Evaluation, InputError, join_sheets
from analysis.land_yield.schema import FIELDS, header_label, unknown_headers
from files.bundle import MAX_FILES, Bundle, is_bundle, pack, source_names, unpack
from files.enterprises import read_enterprises
from i18n import t
from store import WorkspaceError
from views import state
from views.text import md

__all__ = ["forget_uploads", "header_map_panel", "join_report", "keep_uploads", "map_widget_key", "page_input",
           "reopen_input", "sources_caption", "too_many"]  # fmt: skip

SINGLE, SOURCES = "ly_upload_kept", "ly_sources_kept"  # kept uploads: one (bytes, name) or (name, file, bytes)…
HEADER_MAP, PREFER = "ly_header_map", "ly_prefer"
_FIELD_IDS = [f.id for f in FIELDS]


def keep_uploads() -> None:
    """The uploaded tables stay in use on coming back from another page (the uploader's on_change)."""
    files = st.session_state.get("ly_upload") or []
    forget_uploads()
    if len(files) == 1:
        st.session_state[SINGLE] = (files[0].getvalue(), files[0].name)
    elif len(files) > 1:
        names = source_names([f.name for f in files])
        st.session_state[SOURCES] = tuple((n, f.name, f.getvalue()) for n, f in zip(names, files, strict=True))


def forget_uploads() -> None:
    """Back to the default data: uploads and preferred sources forgotten (the header map is kept for the next
    upload, as a preset would be)."""
    for key in (SINGLE, SOURCES, PREFER):
        st.session_state.pop(key, None)


def reopen_input(data: bytes, filename: str) -> None:
    """A saved run's input put back: a bundle becomes its tables, header map and preferred sources again."""
    forget_uploads()
    for key in [k for k in st.session_state if str(k).startswith("ly_prefer_")]:
        del st.session_state[key]  # the boxes show the reopened run's choices
    if is_bundle(data):
        bundle = unpack(data)
        st.session_state[SOURCES] = bundle.files
        _set_map_in_code(dict(bundle.header_map))
        st.session_state[PREFER] = dict(bundle.prefer)
    else:
        st.session_state[SINGLE] = (data, filename)
        _set_map_in_code({})  # the run was made without one


def kept_files() -> tuple[tuple[str, str, bytes], ...]:
    """The uploaded tables in use: (source name, file name, bytes) each; empty for the default data."""
    if SOURCES in st.session_state:
        return tuple(st.session_state[SOURCES])
    if SINGLE in st.session_state:
        data, filename = st.session_state[SINGLE]
        return ((source_names([filename])[0], filename, data),)
    return ()


def page_input(default: tuple[bytes, str]) -> tuple[bytes, str]:
    """What the page evaluates: ``default``, one uploaded table as it is, or a bundle.

    A bundle carries the tables with the header map and the preferred sources in use, so that the
    cached evaluation, a saved run and a reopened run all see the same input.
    """
    files = kept_files()
    if not files:
        return default
    headers = {h for _, filename, data in files for h in file_headers(data, filename)}
    fields = set(_FIELD_IDS)  # what widgets left in the session is checked: only fields and sources in use
    header_map = {h: f for h, f in st.session_state.get(HEADER_MAP, {}).items() if h in headers and f in fields}
    names = {n for n, _, _ in files}
    prefer = {f: n for f, n in st.session_state.get(PREFER, {}).items() if n in names and f in fields}
    if len(files) == 1 and not header_map:
        return files[0][2], files[0][1]
    bundle = Bundle(files, header_map, prefer if len(files) > 1 else {})
    return pack(bundle), bundle.label


@st.cache_data(show_spinner=False, max_entries=32)
def file_headers(data: bytes, filename: str) -> list[str]:
    """The headers of an uploaded table (read by its content); none when it cannot be read."""
    try:
        return [str(c) for c in read_enterprises(data, filename).columns]
    except InputError:
        return []


def too_many(lang: str) -> bool:
    """Whether more tables were uploaded than a bundle takes (said on the page)."""
    if len(st.session_state.get(SOURCES, ())) > MAX_FILES:
        st.error(t("ly_sources_too_many", lang).format(n=MAX_FILES))
        return True
    return False


def _field_label(fid: str, lang: str) -> str:
    return t("ly_map_none", lang) if not fid else header_label(fid, lang)


def map_widget_key(header: str, lang: str) -> str:
    """The key of a header's box: one per header and language (labels change with the language)."""
    return f"ly_map_{lang}_{hashlib.sha1(header.encode('utf-8')).hexdigest()[:12]}"


def _set_map_in_code(mapping: dict[str, str]) -> None:
    """A header map set by a preset or a reopened run: the boxes are rebuilt from it (a box with a key keeps its own
    value otherwise)."""
    st.session_state[HEADER_MAP] = mapping
    for key in [k for k in st.session_state if str(k).startswith("ly_map_") and k not in ("ly_map_name",
                                                                                          "ly_map_pick")]:  # fmt: skip
        del st.session_state[key]


def _set_mapping(header: str, widget: str) -> None:
    mapping = dict(st.session_state.get(HEADER_MAP, {}))
    value = st.session_state.get(widget) or ""
    if value in _FIELD_IDS:
        mapping[header] = value
    else:
        mapping.pop(header, None)
    st.session_state[HEADER_MAP] = mapping


def header_map_panel(lang: str) -> None:
    """Map the headers the schema does not know to fields; save, load and download the mapping."""
    files = kept_files()
    if not files:  # the default data: nothing to map
        return
    unknown = {h: name for name, filename, data in files for h in unknown_headers(file_headers(data, filename))}
    mapping = st.session_state.get(HEADER_MAP, {})
    mapped = sum(1 for h in unknown if h in mapping)
    with st.expander(t("ly_map_title", lang).format(n=len(unknown), mapped=mapped), expanded=False):
        if not unknown:
            st.caption(t("ly_map_nothing", lang))
        st.caption(t("ly_map_help", lang))
        for header, source in sorted(unknown.items()):
            widget = map_widget_key(header, lang)
            options = ["", *_FIELD_IDS]
            current = mapping.get(header, "")
            st.selectbox(f"{header}（{source}）", options, index=options.index(current) if current in options else 0,
                         key=widget, format_func=lambda f: _field_label(f, lang), on_change=_set_mapping,
                         args=(header, widget))  # fmt: skip
        _presets(lang)


def _presets(lang: str) -> None:
    """Header maps saved in the workspace (for next year's tables) and the mapping as JSON (``--columns``)."""
    mapping = dict(st.session_state.get(HEADER_MAP, {}))
    content = json.dumps(mapping, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    st.download_button(t("ly_map_download", lang), content, file_name="header_map.json", mime="application/json",
                       icon=":material/download:", on_click="ignore", disabled=not mapping)  # fmt: skip
    try:
        ws = state.workspace()
        saved = ws.datasets("header_map")
    except WorkspaceError as exc:
        st.caption(md(exc))
        return
    if len(saved):
        labels = {int(r.fid): f"{r.name} · {r.created_at[:10]}" for r in saved.itertuples()}
        pick = st.selectbox(t("ly_map_presets", lang), list(labels), format_func=labels.__getitem__, key="ly_map_pick")
        if st.button(t("ly_map_apply", lang), key="ly_map_apply", icon=":material/input:"):
            _, data = ws.dataset_content(int(pick))
            loaded = json.loads(data.decode("utf-8"))
            _set_map_in_code({str(k): str(v) for k, v in loaded.items() if v in _FIELD_IDS})
            st.rerun()
    name = st.text_input(t("ly_map_name", lang), key="ly_map_name", max_chars=80)
    if st.button(t("ly_map_save", lang), key="ly_map_save", icon=":material/save:", disabled=not mapping or not name):
        user = st.session_state["auth_user"].username if "auth_user" in st.session_state else None
        fid = ws.save_dataset(name, "header_map", "header_map.json", content, user=user, n_features=len(mapping))
        st.success(t("ly_map_saved", lang).format(fid=fid), icon=":material/check_circle:")


def _set_prefer(fid: str, widget: str) -> None:
    prefer = dict(st.session_state.get(PREFER, {}))
    prefer[fid] = str(st.session_state[widget])
    st.session_state[PREFER] = prefer


def join_report(ev: Evaluation, lang: str) -> None:
    """The 数据合并 tab: sources, conflicting values and the source that wins, codes in one source only."""
    joined = ev.joined
    if joined is None:
        st.caption(t("ly_join_single", lang))
        return
    counts = ev.accounting()
    st.caption(t("ly_join_summary", lang).format(sources=len(joined.sources), firms=len(ev.result),
                                                  rows=counts["input"], merged=counts["merged"],
                                                  conflicts=len(joined.conflicts),
                                                  unmatched=len(joined.unmatched)))  # fmt: skip
    sheets = list(join_sheets(joined, lang).values())
    st.dataframe(sheets[0], hide_index=True, width="stretch", placeholder="—")
    names = list(joined.sources["source"])
    fields = list(dict.fromkeys(joined.conflicts["field"]))
    if fields:
        st.markdown(f"**{t('ly_join_conflicts', lang)}**")
        st.caption(t("ly_join_prefer_help", lang))
        chosen = st.session_state.get(PREFER, {})
        cols = st.columns(min(len(fields), 4))
        for i, fid in enumerate(fields):
            widget = f"ly_prefer_{fid}"
            current = chosen.get(fid, names[0])
            index = names.index(current) if current in names else 0
            cols[i % len(cols)].selectbox(header_label(fid, lang), names, index=index, key=widget,
                                          on_change=_set_prefer, args=(fid, widget))  # fmt: skip
        st.dataframe(sheets[1].head(1000), hide_index=True, width="stretch", placeholder="—", height=240)
    if len(joined.unmatched):
        st.markdown(f"**{t('ly_join_unmatched', lang)}**")
        st.dataframe(sheets[2].head(1000), hide_index=True, width="stretch", placeholder="—", height=240)
    if len(joined.conflicts) > 1000 or len(joined.unmatched) > 1000:
        st.caption(t("ly_join_more", lang))


def sources_caption(lang: str) -> None:
    """Which tables are in use (under the uploader), with a way back to the default data."""
    files = kept_files()
    if not files or st.session_state.get("ly_upload"):
        return
    if len(files) == 1:
        listed = md(files[0][1])
    else:
        listed = "、".join(md(f"{name}（{filename}）") for name, filename, _ in files)
    st.caption(t("ly_upload_kept", lang).format(name=listed))
    if st.button(t("ly_upload_forget", lang), key="ly_upload_forget"):
        forget_uploads()
        st.rerun()
