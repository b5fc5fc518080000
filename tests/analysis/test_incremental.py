"""Incremental analysis gives what a fresh analysis of everything gives, and keeps incidents' identity.

The corpus: the two bundled examples (the later one copies eleven paragraphs of the earlier), a wire copy of
the earlier one's opening, and three invented reports of a market shelling, one of them a copy. Added one
or two at a time, copies before their origins, then compared with the same documents analysed at once.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, Hague, sql, use_workspace

EARLY, LATE = "001_courier_hospital", "002_harbour_hospital"

MARKET = ("Shelling hit the central market in Kharkiv on Thursday morning, killing 12 civilians and wounding 30, "
          "regional governor Oleh Synehubov said.\n"
          "Synehubov said Russian forces fired Grad rockets at the market as people queued for bread, and that "
          "rescuers were still searching the rubble of the covered hall in the afternoon.\n"
          "Residents described a series of blasts that shattered windows across the square and set market stalls "
          "on fire before firefighters arrived.\n")
MARKET_OTHER = ("A rocket attack on the central market of Kharkiv killed at least 12 people on Thursday, according "
                "to the regional administration, which blamed Russian troops.\n"
                "Witnesses told our reporter that bread queues had formed outside the hall when the rockets struck "
                "and that several stalls burned for hours.\n")


def _corpus(root: Path) -> dict[str, Path]:
    """Each document as a folder of its own (text + sidecar), by name."""
    early = (EXAMPLES / f"{EARLY}.txt").read_text(encoding="utf-8")
    docs = {
        "wire": ("\n".join(early.split("\n")[:6]) + "\n", "2022-03-12", "Wire Daily"),
        "market": (MARKET, "2022-04-08", "Kharkiv Today"),
        "market-copy": ("Kharkiv market attack\n" + MARKET + "More details will follow.\n", "2022-04-09",
                        "Aggregator Net"),
        "market-other": (MARKET_OTHER, "2022-04-08", "Eastern Herald"),
    }
    out = {}
    for name in (EARLY, LATE):
        folder = root / name
        folder.mkdir(parents=True)
        for ext in ("txt", "json"):
            (folder / f"{name}.{ext}").write_bytes((EXAMPLES / f"{name}.{ext}").read_bytes())
        out[name] = folder
    for name, (text, published, outlet) in docs.items():
        folder = root / name
        folder.mkdir(parents=True)
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        (folder / f"{name}.json").write_text(json.dumps({"id": name, "published": published, "outlet": outlet}))
        out[name] = folder
    return out


def _state(hague: Hague, home: Path) -> dict[str, object]:
    """Everything analysis derives, in comparable form (incidents as sets of (document, report index))."""
    links = {(x["from"], x["to"], tuple(x["from_span"]), tuple(x["to_span"])) for x in hague.json("reuse")}
    statements = sorted(map(tuple, sql(home, "SELECT d.external_id, s.idx, s.speaker, s.org, s.said_on, s.stance "
                                             "FROM statements s JOIN documents d ON d.id = s.document_id")))
    reports = sorted(map(tuple, sql(home, "SELECT d.external_id, r.idx, r.event, r.place, r.date, r.status "
                                          "FROM reports r JOIN documents d ON d.id = r.document_id")))
    incidents = {}
    for inc in hague.json("incidents"):
        members = frozenset(tuple(m) for m in inc["members"])
        sources = json.dumps(inc["independent_sources"], sort_keys=True)
        incidents[members] = (inc["status"], inc["independent_count"], inc["fields"]["place"]["value"], sources)
    return {"links": links, "statements": statements, "reports": reports, "incidents": incidents}


@pytest.fixture()
def corpus(tmp_path: Path) -> dict[str, Path]:
    return _corpus(tmp_path / "corpus")


def test_adding_a_few_at_a_time_equals_analysing_everything_at_once(corpus, tmp_path, monkeypatch) -> None:
    hague = Hague()
    use_workspace(monkeypatch, tmp_path / "at-once")
    hague("init")
    hague("add", "--no-analyze", *map(str, corpus.values()))
    hague("analyze")
    at_once = _state(hague, tmp_path / "at-once")

    use_workspace(monkeypatch, tmp_path / "step-by-step")
    hague("init")
    # copies before their origins: the origin, added later, takes their links
    for batch in ([LATE], ["market-copy"], [EARLY, "wire"], ["market", "market-other"]):
        hague("add", *(str(corpus[name]) for name in batch))
    steps = _state(hague, tmp_path / "step-by-step")
    for key in ("links", "statements", "reports", "incidents"):
        assert steps[key] == at_once[key], key
    assert {(a, b) for a, b, _, _ in steps["links"]} >= {(EARLY, LATE), (EARLY, "wire"), ("market", "market-copy")}
    assert any({d for d, _ in members} >= {"market", "market-other"} for members in steps["incidents"])

    ids = {inc["id"] for inc in hague.json("incidents")}
    summary = hague.json("analyze", "--all")
    assert summary["read"] == len(corpus) and summary["created"] == 0
    assert _state(hague, tmp_path / "step-by-step") == steps
    assert {inc["id"] for inc in hague.json("incidents")} == ids  # identity kept
    hague("verify")


def test_an_addition_attaches_reports_and_never_renames_or_merges(corpus, hague: Hague, home: Path) -> None:
    hague("init")
    hague("add", str(corpus["market"]), str(corpus[EARLY]))
    before = {inc["id"]: {tuple(m) for m in inc["members"]} for inc in hague.json("incidents")}
    market = next(i for i, members in before.items() if {d for d, _ in members} == {"market"})
    added = hague.json("add", str(corpus["market-other"]), str(corpus["market-copy"]))
    assert added["analysis"]["attached"] >= 1
    after = {inc["id"]: {tuple(m) for m in inc["members"]} for inc in hague.json("incidents")}
    for incident_id, members in before.items():  # every incident is still there, with at least its reports
        assert members <= after[incident_id], incident_id
    assert {d for d, _ in after[market]} >= {"market", "market-other", "market-copy"}


def test_the_machine_never_moves_a_report_a_person_placed(corpus, hague: Hague, home: Path) -> None:
    hague("init")
    hague("add", str(corpus["market"]))
    (market,) = [inc["id"] for inc in hague.json("incidents")]
    sql(home, "INSERT INTO incidents (id, status, independent_count, data) VALUES ('held-apart', 'reported', 0, "
              "'{}')")
    sql(home, "UPDATE reports SET incident_id = 'held-apart', incident_origin = 'analyst' WHERE idx = 0")
    hague("add", str(corpus["market-other"]))
    hague("analyze", "--all")
    assert sql(home, "SELECT DISTINCT incident_id, incident_origin FROM reports r JOIN documents d "
                     "ON d.id = r.document_id WHERE d.external_id = 'market' AND r.idx = 0") == [
        ("held-apart", "analyst")]
    assert market in {inc["id"] for inc in hague.json("incidents")}


def test_a_new_incident_never_takes_an_id_in_use_however_its_hash_falls(corpus, hague: Hague, home: Path,
                                                                       tmp_path: Path, monkeypatch) -> None:
    """Among hundreds of thousands of incidents two short hashes of first reports meet: the readable id and the
    six-digit one in use (by an incident, or as a merged incident's old id), placement takes a longer one."""
    hague("init")
    hague("add", str(corpus["market"]))
    [alone] = hague.json("incidents")
    digest = hashlib.sha256("{}:{}".format(*alone["members"][0]).encode()).hexdigest()
    base = alone["id"]

    other = tmp_path / "other"
    use_workspace(monkeypatch, other)
    hague("init")
    for taken in (base, f"{base}-{digest[:6]}"):
        sql(other, f"INSERT INTO incidents (id, status, independent_count, data) VALUES ('{taken}', 'reported', 0, "
                   "'{}')")
    sql(other, f"INSERT INTO incident_aliases (old_id, new_id, merged_by, merged_at) VALUES ('{base}-{digest[:12]}', "
               f"'{base}', 'test', '2026-01-01T00:00:00Z')")
    hague("add", str(corpus["market"]))
    ids = {inc["id"] for inc in hague.json("incidents")}
    assert f"{base}-{digest}" in ids
    assert sql(other, "SELECT count(*) FROM reports WHERE incident_id IS NULL") == [(0,)]


def test_an_analysis_stopped_part_way_is_finished_by_the_next(corpus, hague: Hague, home: Path) -> None:
    """A run stopped in the middle of placing reports (killed, or a failed write) leaves reports without an
    incident, some of them indexed by their keys, and incidents made but not yet refreshed: the next finishes."""
    hague("init")
    hague("add", *(str(corpus[name]) for name in ("market", "market-other", EARLY)))
    done = _state(hague, home)
    sql(home, "UPDATE reports SET incident_id = NULL, incident_origin = NULL WHERE document_id IN "
              "(SELECT id FROM documents WHERE external_id = 'market-other')")
    sql(home, "UPDATE incidents SET data = '{}'")
    hague("analyze")
    assert sql(home, "SELECT count(*) FROM reports WHERE incident_id IS NULL") == [(0,)]
    assert _state(hague, home) == done
    hague("verify")


def test_new_reports_and_candidate_incidents_are_blocked_by_shared_keys(monkeypatch) -> None:
    """Above WHOLE_BLOCK the pool splits like a fresh clustering: a new report with the incidents holding one of
    its usable keys, new reports sharing a key together; an incident no new report reaches is left out."""
    from hague.analysis import incidents
    from hague.corroboration import incidents as clustering

    keys = [{"place:a", "word:x"}, {"place:a"}, {"word:z"}, {"word:common"}]
    by_key = {"place:a": {"inc1"}, "word:x": {"inc2"}, "word:z": set()}  # word:common is held too widely
    members = {"inc1": [None] * 3, "inc2": [None] * 2, "inc3": [None] * 4}
    assert incidents._pool_blocks([0, 1, 2, 3], keys, by_key, members) == [([0, 1, 2, 3], ["inc1", "inc2", "inc3"])]
    monkeypatch.setattr(clustering, "WHOLE_BLOCK", 5)
    blocks = sorted(incidents._pool_blocks([0, 1, 2, 3], keys, by_key, members))
    assert blocks == [([0, 1], ["inc1", "inc2"]), ([2], []), ([3], [])]


@pytest.mark.parametrize("linkage_max", [600, 1], ids=["linkage per block", "greedy per block"])
def test_blocked_placement_still_attaches_reports_of_one_event(corpus, hague: Hague, home: Path, monkeypatch,
                                                               linkage_max: int) -> None:
    """With the pool forced into blocks (and, past LINKAGE_MAX, into the greedy rule), reports of the market
    shelling still join the market incident; no existing incident loses a report or its id."""
    from hague.corroboration import incidents as clustering

    hague("init")
    hague("add", str(corpus["market"]), str(corpus[EARLY]))
    before = {inc["id"]: {tuple(m) for m in inc["members"]} for inc in hague.json("incidents")}
    market = next(i for i, members in before.items() if {d for d, _ in members} == {"market"})
    monkeypatch.setattr(clustering, "WHOLE_BLOCK", 2)
    monkeypatch.setattr(clustering, "LINKAGE_MAX", linkage_max)
    hague("add", str(corpus["market-other"]), str(corpus["market-copy"]))
    after = {inc["id"]: {tuple(m) for m in inc["members"]} for inc in hague.json("incidents")}
    for incident_id, members in before.items():
        assert members <= after[incident_id], incident_id
    assert {d for d, _ in after[market]} >= {"market", "market-other", "market-copy"}


def test_a_pair_turned_round_by_its_wording_is_found_whatever_the_order_of_addition(tmp_path, monkeypatch) -> None:
    """An undated faithful copy, a dated spun one and a third story holding one passage (test_reuse): the
    faithful copy is the origin (the link runs against time order), added at once or one by one, in any order."""
    from tests.corroboration.test_reuse import OTHER, RESPUN, STORY, WITNESS

    docs = {"faithful": (STORY, None), "spun": (RESPUN + OTHER[:1], "2022-03-02"), "witness": (WITNESS, "2022-03-03"),
            "second": ([OTHER[2], STORY[0]], "2022-03-04")}  # a later witness: the faithful copy is linked again
    folders = {}
    for name, (paras, published) in docs.items():
        folder = folders[name] = tmp_path / "docs" / name
        folder.mkdir(parents=True)
        (folder / f"{name}.txt").write_text("\n".join(paras) + "\n", encoding="utf-8")
        (folder / f"{name}.json").write_text(json.dumps({"id": name, "published": published}))
    hague = Hague()
    states = []
    orders = ([["faithful", "spun", "witness", "second"]], [["spun"], ["faithful"], ["witness"], ["second"]],
              [["witness"], ["faithful"], ["spun", "second"]], [["faithful", "spun", "witness"], ["second"]])
    for run, batches in enumerate(orders):
        use_workspace(monkeypatch, tmp_path / f"run{run}")
        hague("init")
        for batch in batches:
            hague("add", *(str(folders[name]) for name in batch))
        states.append(sorted((x["from"], x["to"], tuple(x["to_span"]), x["direction_basis"])
                             for x in hague.json("reuse")))  # a list: a link stored twice would show
    pair = {"faithful", "spun"}
    assert {(a, b, basis) for a, b, _, basis in states[0] if {a, b} == pair} == {("faithful", "spun", "wording")}
    assert all(state == states[0] for state in states[1:])
