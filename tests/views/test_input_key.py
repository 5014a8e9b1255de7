"""The 亩产效益 input as a cache key: hashed by its digest, once per bytes object (issue 12, page speed)."""

from __future__ import annotations

import streamlit as st
from hypothesis import given
from hypothesis import strategies as st_h
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from views import input_key
from views.input_key import HASH_FUNCS, InputKey, content_digest, key_digest


@given(st_h.binary(min_size=0, max_size=200_000), st_h.binary(min_size=1, max_size=8))
def test_equal_content_gives_equal_digests_and_changed_content_another(data, extra):
    assert content_digest(data) == content_digest(bytes(bytearray(data)))
    assert content_digest(data) != content_digest(data + extra)


def test_a_large_content_is_hashed_once_per_object(monkeypatch):
    calls = []
    real = input_key._digest
    monkeypatch.setattr(input_key, "_digest", lambda d: calls.append(len(d)) or real(d))
    data = bytes(200_000)
    first = content_digest(data)
    assert content_digest(data) == first and len(calls) == 1  # remembered
    assert content_digest(bytes(bytearray(data))) == first and len(calls) == 2  # another object: hashed


def test_remembered_objects_are_bounded_in_number_and_bytes(monkeypatch):
    monkeypatch.setattr(input_key, "BUDGET", 1_000_000)
    blobs = [bytes([i]) * 300_000 for i in range(12)]
    for blob in blobs:
        content_digest(blob)
    held = list(input_key._seen.values())
    assert 1 <= len(held) <= input_key.REMEMBERED
    assert sum(len(d) for d, _ in held) <= 1_000_000
    assert held[-1][0] is blobs[-1]  # the newest is kept


def test_a_cached_function_keys_on_the_content_not_on_the_object():
    runs = []

    @st.cache_data(show_spinner=False, hash_funcs=HASH_FUNCS)
    def rows(key: InputKey) -> int:
        runs.append(key.filename)
        return key.data.count(b"\n")

    data = b"a,b\n1,2\n" * 20_000
    assert rows(InputKey(data, "f.csv", "", "auto")) == 40_000
    assert rows(InputKey(bytes(bytearray(data)), "f.csv", "", "auto")) == 40_000  # equal content: cached
    assert len(runs) == 1
    rows(InputKey(data + b"3,4\n", "f.csv", "", "auto"))  # changed content
    rows(InputKey(data, "f.csv", "[scoring]", "auto"))  # changed parameters
    assert len(runs) == 3
    assert key_digest(InputKey(data, "f.csv", "", "auto"))[0] == content_digest(data)
    rows.clear()


def test_a_warm_rerun_of_the_land_yield_page_does_not_hash_the_table_again(monkeypatch):
    """Before: every cached call hashed the whole table (5 × 25 ms per rerun with 50,000 firms)."""
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("views/land_yield_page.py").run()
    assert not at.exception
    hashed = []
    real = input_key._digest
    monkeypatch.setattr(input_key, "_digest", lambda d: hashed.append(len(d)) or real(d))
    at.run()  # a rerun, as after any widget
    assert not at.exception
    assert not [n for n in hashed if n >= input_key.SMALL], hashed
