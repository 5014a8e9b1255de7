"""The key of a 亩产效益 input in the page caches: its content hashed once per rerun, not once per call.

Streamlit hashes every argument of a cached function on every call. The 亩产效益 page passed the
enterprise table's bytes (11 MB for 50,000 firms, 45 MB for 200,000) to five cached functions per
rerun: 5 × 25 ms at 50,000 firms, on the way to the map (issue 12; ``benchmarks/land_yield.py``).
Cached functions now take one :class:`InputKey` and are declared with ``hash_funcs=HASH_FUNCS``,
which hashes the key by :func:`content_digest` of its content. That digest is remembered for the
last few objects seen (they are held, so that an ``id`` cannot be reused by other bytes while it is
remembered); the page passes the same bytes object on every rerun (:func:`views.state.default_input`,
uploads kept in the session).

Examples
--------
>>> data = b"x" * 100_000
>>> content_digest(data) == content_digest(bytes(data))  # equal content, equal key
True
>>> content_digest(data) != content_digest(data + b"y")
True
>>> key = InputKey(data, "firms.csv", "", "auto")
>>> key_digest(key)[1:]
('firms.csv', '', 'auto')
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, NamedTuple

__all__ = ["HASH_FUNCS", "InputKey", "content_digest", "key_digest"]

REMEMBERED = 8  # bytes objects whose digest is kept (the inputs of the sessions' last reruns) …
BUDGET = 256 * 1024 * 1024  # … holding at most this many bytes alive (the newest is always kept)
SMALL = 64 * 1024  # shorter contents are hashed each time: remembering them saves nothing

_seen: OrderedDict[int, tuple[bytes, str]] = OrderedDict()
_lock = threading.Lock()


class InputKey(NamedTuple):
    """What one 亩产效益 evaluation is computed from.

    Attributes
    ----------
    data : bytes
        The enterprise table, or a bundle of several tables (:mod:`files.bundle`), as uploaded.
    filename : str
        Its file name (the reader sniffs the content; the name labels the run).
    config_toml : str
        The scoring parameters as TOML.
    coords : str
        The coordinate system of the firms' positions (``auto``, ``wgs84``, ``gcj02``, ``bd09``).
    """

    data: bytes
    filename: str
    config_toml: str
    coords: str


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def content_digest(data: bytes) -> str:
    """A digest of ``data`` (BLAKE2b, 160 bits), computed once per object while it is remembered."""
    if len(data) < SMALL:
        return _digest(data)
    with _lock:
        hit = _seen.get(id(data))
        if hit is not None and hit[0] is data:
            _seen.move_to_end(id(data))
            return hit[1]
    digest = _digest(data)
    with _lock:
        _seen[id(data)] = (data, digest)
        while len(_seen) > 1 and (len(_seen) > REMEMBERED or sum(len(d) for d, _ in _seen.values()) > BUDGET):
            _seen.popitem(last=False)
    return digest


def key_digest(key: InputKey) -> tuple[str, str, str, str]:
    """``key`` with its content replaced by :func:`content_digest` (what a cache hashes)."""
    return content_digest(key.data), key.filename, key.config_toml, key.coords


# Streamlit checks ``hash_funcs`` before it hashes a tuple, so a NamedTuple key is hashed by its digest.
HASH_FUNCS: dict[Any, Callable[..., Any]] = {InputKey: key_digest}
