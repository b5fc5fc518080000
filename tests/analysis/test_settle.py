"""Settling incidents in worker processes gives what settling them in the run's own process gives."""

from __future__ import annotations

import json

from tests.conftest import copy_workspace, sql, workspace_at

from hague.analysis import settle
from hague.progress import Progress
from hague.vocab import Stage
from hague.workspace import Workspace

_STALE = ("UPDATE incidents SET status = NULL, independent_count = 0, data = '{}'",
          "DELETE FROM assessments", "DELETE FROM incident_law_features", "DELETE FROM reviews")


def _derived(ws: Workspace) -> dict[str, object]:
    home = ws.config.home
    return {
        "incidents": sorted((i, s, n, json.dumps(_json(d), sort_keys=True))
                            for i, s, n, d in sql(home, "SELECT id, status, independent_count, data FROM incidents")),
        "assessments": sorted((i, p, json.dumps(_json(e), sort_keys=True))
                              for i, p, e in sql(home, "SELECT incident_id, provision_id, elements FROM assessments")),
        "reviews": sorted(map(tuple, sql(home, "SELECT incident_id, state FROM reviews"))),
    }


def _refresh_entries(ws: Workspace, after: int) -> list[str]:
    rows = sql(ws.config.home, "SELECT actor, action, subjects, details FROM ledger_entries WHERE seq > :after",
               after=after)
    return sorted(json.dumps([actor, action, _json(subjects), {k: v for k, v in _json(d).items()
                                                                if k != "transitions"}], sort_keys=True)
                  for actor, action, subjects, d in rows)


def _json(value: object) -> object:
    """A JSON column's value: text on SQLite, already decoded on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def test_workers_settle_incidents_as_the_run_does(seeded_ws: Workspace, tmp_path, monkeypatch) -> None:
    other = workspace_at(copy_workspace(seeded_ws.config.home, tmp_path / "workers"))
    before = _derived(seeded_ws)
    ids = [i for (i, *_) in before["incidents"]]
    assert len(ids) >= 4 and before["assessments"]
    seqs = []
    for ws in (seeded_ws, other):
        sql(ws.config.home, *_STALE)
        assert _derived(ws) != before
        seqs.append(sql(ws.config.home, "SELECT max(seq) FROM ledger_entries")[0][0])

    assert settle.settle(seeded_ws, "tester", ids, parallel=False) == []

    monkeypatch.setattr(settle, "PARALLEL_FROM", 1)
    monkeypatch.setattr(settle, "TASK", 2)
    monkeypatch.setattr(settle.os, "cpu_count", lambda: 2)

    def in_this_process(*_: object) -> list[str]:
        raise AssertionError("settled in the run's own process, not in workers")

    monkeypatch.setattr(settle, "_settle", in_this_process)  # workers start from the fork server, unpatched
    heard: list[tuple[str, Stage, int]] = []
    progress = Progress(lambda s, n: heard.append(("start", s, n)), lambda s, n: heard.append(("done", s, n)))
    assert settle.settle(other, "tester", ids, progress=progress) == []
    assert heard[0] == ("start", Stage.SETTLING, len(ids)) and len(heard) == 1 + len(ids)  # a task per incident
    assert sum(n for what, _, n in heard if what == "done") == len(ids)
    assert _derived(seeded_ws) == before
    assert _derived(other) == before
    entries = _refresh_entries(other, seqs[1])
    assert entries and entries == _refresh_entries(seeded_ws, seqs[0])
    other.engine.dispose()
