"""The collector pause around bulk object creation (geo.allocation)."""

from __future__ import annotations

import gc

import pytest

from geo.allocation import no_collection


@pytest.fixture
def collections():
    """Counts the collector's passes while the test runs."""
    seen: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(count)
    yield seen
    gc.callbacks.remove(count)


def test_the_collector_is_paused_inside_and_runs_again_after():
    with no_collection():
        assert not gc.isenabled()
        with no_collection():  # nested: still paused …
            assert not gc.isenabled()
        assert not gc.isenabled()  # … until the outer block ends
    assert gc.isenabled()


def test_overlapping_blocks_of_two_threads_keep_the_collector_paused_until_both_end():
    import threading

    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with no_collection():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second() -> None:
        first_in.wait(10)
        with no_collection():
            second_in.set()
            first_out.wait(10)
            seen.append(gc.isenabled())  # the first block has ended, this one still runs

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert seen == [False]
    assert gc.isenabled()


def test_an_error_inside_does_not_leave_the_collector_paused():
    with pytest.raises(RuntimeError), no_collection():
        raise RuntimeError
    assert gc.isenabled()


def test_a_collector_paused_before_stays_paused():
    gc.disable()
    try:
        with no_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_locating_many_firms_runs_almost_no_collections(collections):
    """30,000 firms located: the points used to set off ≈ 45 collector passes over everything alive."""
    from analysis.land_yield.enterprises import prepare_enterprises
    from benchmarks.land_yield import raw_table
    from layers import load_layers
    from samples.enterprises import synthetic_enterprises

    layers = load_layers(["districts", "clusters"])
    raw = raw_table(synthetic_enterprises(30_000, layers["districts"], layers["clusters"], seed=3))
    gc.collect()
    collections.clear()
    prepared = prepare_enterprises(raw, layers["districts"], evaluation_year=2025)
    assert prepared.data.geometry.notna().sum() > 25_000
    assert len(collections) < 15, len(collections)
