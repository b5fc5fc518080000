"""The web's listings memoise slow aggregates (counts, choices, timeline) once per key at a time, and the map's
points until the ledger moves."""

from __future__ import annotations

import threading
import time

from hague.services import browse


def test_a_cold_aggregate_is_computed_once_while_others_wait_for_it() -> None:
    calls: list[int] = []
    started = threading.Event()

    def slow() -> int:
        calls.append(1)
        started.set()
        time.sleep(0.2)  # long enough for the other threads to arrive while it runs
        return 42

    key = ("test-cold", object())
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(browse._cached(key, slow))) for _ in range(8)]
    threads[0].start()
    started.wait()
    for t in threads[1:]:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 8 and len(calls) == 1


def test_a_stale_aggregate_is_served_while_one_request_refreshes_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    key = ("test-stale", object())
    assert browse._cached(key, lambda: "old") == "old"
    monkeypatch.setattr(browse, "CACHE_SECONDS", 0)  # every value is now stale
    refreshing, release = threading.Event(), threading.Event()

    def refresh() -> str:
        refreshing.set()
        release.wait(5)
        return "new"

    worker = threading.Thread(target=lambda: browse._cached(key, refresh))
    worker.start()
    refreshing.wait(5)
    assert browse._cached(key, lambda: "never computed") == "old"  # not a second computation
    release.set()
    worker.join()
    assert browse._CACHE[key][1] == "new"


def test_map_points_follow_every_act_at_once(team) -> None:  # type: ignore[no-untyped-def]
    """The map's points are memoised until the ledger moves: a review decision shows on the next request."""
    from hague.services import review

    lead, reviewer = team.member("lead"), team.member("reviewer")
    points = browse.map_points(team.ws, lead.scope)
    assert points and browse.map_points(team.ws, lead.scope) is points  # unchanged ledger: the same answer
    first = points[0]
    review.decide(team.ws, reviewer, first.incident, "evidence_linked", "linked")
    review.decide(team.ws, reviewer, first.incident, "analyst_assessed", "one origin", label="credible_allegation")
    again = {p.incident: p for p in browse.map_points(team.ws, lead.scope)}
    assert again[first.incident].label != first.label


def test_a_warm_listing_is_served_without_queueing_behind_the_key_lock(team) -> None:  # type: ignore[no-untyped-def]
    """Readers of an unchanged map do not take the key's lock: held by someone else, a hit still returns."""
    key = ("test-warm", object())
    assert browse._current(team.ws, key, lambda s: ["point"]) == ["point"]
    with browse._GUARD:
        lock = browse._COMPUTING.setdefault(("current", key), threading.Lock())
    got: list[object] = []
    with lock:  # as if a computation were under way
        reader = threading.Thread(target=lambda: got.append(browse._current(team.ws, key, lambda s: ["again"])))
        reader.start()
        reader.join(10)
    assert got == [["point"]]
