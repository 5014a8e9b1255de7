"""A bundle of several tables (files.bundle): packed and unpacked exactly; a damaged one is refused cleanly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.land_yield.pipeline import InputError
from files.bundle import MAGIC, Bundle, is_bundle, pack, unpack

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8)
files = st.lists(st.tuples(names, names, st.binary(max_size=64)), min_size=1, max_size=5,
                 unique_by=lambda f: f[0])  # fmt: skip
mappings = st.dictionaries(names, st.sampled_from(["tax", "land_mu", "name"]), max_size=3)


@given(files, mappings, st.dictionaries(st.sampled_from(["tax", "name"]), names, max_size=2))
def test_what_is_packed_is_unpacked(files, header_map, prefer):
    bundle = Bundle(tuple(files), header_map, prefer)
    data = pack(bundle)
    assert is_bundle(data) and unpack(data) == bundle
    assert pack(unpack(data)) == data  # the same input, the same bytes: caches and saved runs match


@given(files, st.data())
def test_a_damaged_bundle_is_refused_with_an_input_error(files, data):
    packed = pack(Bundle(tuple(files)))
    cut = data.draw(st.integers(len(MAGIC), len(packed) - 1))
    damaged = data.draw(st.sampled_from([packed[:cut], packed + b"x", packed[:cut] + b"\x00" + packed[cut + 1 :]]))
    try:
        unpack(damaged)
    except InputError as exc:
        assert "多来源数据包无法读取" in str(exc)


def test_refusals_name_the_problem():
    for data, why in [(b"plain,csv\n", "not a bundle"), (MAGIC + b"\xff\xff\xff\xff", "manifest size"),
                      (MAGIC + (2).to_bytes(4, "big") + b"[]", "manifest keys")]:  # fmt: skip
        with pytest.raises(InputError, match=why):
            unpack(data)
    with pytest.raises(InputError, match="unknown fields"):
        unpack(pack(Bundle((("a", "a.csv", b""),), {"x": "profit"})))


def test_a_manifest_nested_too_deeply_is_refused_not_a_crash():
    deep = b"[" * 100_000
    with pytest.raises(InputError, match="manifest is not JSON"):
        unpack(MAGIC + len(deep).to_bytes(4, "big") + deep)
