"""Several departments' files as one input: packed, unpacked and read into sources to join.

The 亩产效益 page caches, saves and reopens its input as one ``(bytes, file name)`` pair. Several
uploaded tables (tax, energy, statistics, land …) with their header mapping and preferred sources
travel as one *bundle*: a short magic line, a JSON manifest, then each file's bytes as uploaded.
:func:`is_bundle` recognises one by its content, never by its name; :func:`unpack` checks the
manifest strictly (types, sizes that add up, at most :data:`MAX_FILES` files) before any file is
read, and each file is then read by content through :func:`files.enterprises.read_enterprises`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from analysis.land_yield.pipeline import InputError, Source
from analysis.land_yield.schema import FIELDS
from files.enterprises import read_enterprises

__all__ = ["MAGIC", "MAX_FILES", "Bundle", "is_bundle", "pack", "read_sources", "source_names", "unique_names",
           "unpack"]  # fmt: skip

MAGIC = b"QDP-SOURCES/1\n"
MAX_FILES = 12
_MAX_MANIFEST = 200_000
_FIELD_IDS = frozenset(f.id for f in FIELDS)


@dataclass(frozen=True)
class Bundle:
    """Files to join (source name, file name, bytes) with the header map and the preferred sources."""

    files: tuple[tuple[str, str, bytes], ...]
    header_map: Mapping[str, str] = field(default_factory=dict)
    prefer: Mapping[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How the input is named (a run's default name): the source names joined."""
        return "＋".join(name for name, _, _ in self.files)


def is_bundle(data: bytes) -> bool:
    """Whether ``data`` is a bundle (by its first bytes)."""
    return data.startswith(MAGIC)


def pack(bundle: Bundle) -> bytes:
    """The bundle as bytes (the same input always gives the same bytes, so caches and saved runs match).

    >>> b = Bundle((("税务", "tax.csv", b"a,b\\n"), ("能耗", "e.csv", b"c\\n")), {"纳税": "tax"})
    >>> unpack(pack(b)) == b
    True
    """
    manifest = {
        "files": [{"name": n, "filename": f, "size": len(d)} for n, f, d in bundle.files],
        "header_map": dict(sorted(bundle.header_map.items())),
        "prefer": dict(sorted(bundle.prefer.items())),
    }
    head = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return MAGIC + len(head).to_bytes(4, "big") + head + b"".join(d for _, _, d in bundle.files)


def _bad(why: str) -> InputError:
    return InputError(f"多来源数据包无法读取：{why} / the bundle of sources cannot be read: {why}")


def unpack(data: bytes) -> Bundle:
    """The bundle in ``data``, checked.

    Raises
    ------
    InputError
        Not a bundle, a manifest that is not the expected JSON, sizes that do not add up, too many
        files, duplicate source names, or unknown fields.
    """
    if not is_bundle(data) or len(data) < len(MAGIC) + 4:
        raise _bad("not a bundle")
    size = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "big")
    start = len(MAGIC) + 4
    if size > _MAX_MANIFEST or start + size > len(data):
        raise _bad("manifest size")
    try:
        manifest = json.loads(data[start : start + size].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise _bad("manifest is not JSON") from exc
    if not isinstance(manifest, dict) or set(manifest) != {"files", "header_map", "prefer"}:
        raise _bad("manifest keys")
    files, header_map, prefer = manifest["files"], manifest["header_map"], manifest["prefer"]
    if not isinstance(files, list) or not 1 <= len(files) <= MAX_FILES:
        raise _bad(f"1–{MAX_FILES} files")
    for mapping in (header_map, prefer):
        if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                    for k, v in mapping.items()):  # fmt: skip
            raise _bad("mappings of text")
    if not set(header_map.values()) <= _FIELD_IDS or not set(prefer) <= _FIELD_IDS:
        raise _bad("unknown fields")
    out, offset = [], start + size
    for entry in files:
        ok = isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("filename"), str)
        if not ok or not isinstance(entry.get("size"), int) or entry["size"] < 0:
            raise _bad("file entry")
        out.append((entry["name"], entry["filename"], data[offset : offset + entry["size"]]))
        offset += entry["size"]
    if offset != len(data):
        raise _bad("sizes do not add up")
    if len({n for n, _, _ in out}) != len(out):
        raise _bad("duplicate source names")
    return Bundle(tuple(out), header_map, prefer)


def read_sources(bundle: Bundle, coords: str = "auto") -> list[Source]:
    """Each file read by its content (:func:`files.enterprises.read_enterprises`), as a source to join."""
    return [Source(name, read_enterprises(data, filename), bundle.header_map, coords)
            for name, filename, data in bundle.files]  # fmt: skip


def unique_names(names: Sequence[str]) -> list[str]:
    """Names made distinct: ``税务 (2)`` for a second ``税务``.

    >>> unique_names(["税务", "能耗", "税务"])
    ['税务', '能耗', '税务 (2)']
    """
    out: list[str] = []
    for name in names:
        unique, k = name, 2
        while unique in out:
            unique, k = f"{name} ({k})", k + 1
        out.append(unique)
    return out


def source_names(filenames: Sequence[str]) -> list[str]:
    """Distinct source names from uploaded files' names (their stems).

    >>> source_names(["税务.csv", "能耗.xlsx", "税务.xlsx"])
    ['税务', '能耗', '税务 (2)']
    """
    return unique_names([f.rsplit("/", 1)[-1].rsplit(".", 1)[0] or f for f in filenames])
