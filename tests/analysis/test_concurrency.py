"""Nobody waits behind the machine: people read, review and use the web while a large `hague add` analyses, and
two reviewers decide at once (run on SQLite and, with the test switch, on PostgreSQL).

No timings are asserted: what is checked is that each act completes, correctly recorded, *while* the add is
still running, which it could not if the analysis held the write lock for its whole run.
"""

from __future__ import annotations

import json
import random
import subprocess
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from tests.conftest import EXAMPLES, Hague, hague_process, reviewer_token, sql, workspace_env
from tests.web.conftest import Server

from hague.team import accounts, sessions
from hague.workspace import open_workspace


def generated(folder: Path, n: int, seed: int = 7) -> Path:
    """``n`` news-like documents made of the bundled examples' paragraphs, each with a date and an outlet."""
    paragraphs = [p for path in sorted(EXAMPLES.glob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n") if len(p.split()) >= 8]
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for i in range(n):
        text = "\n".join(rng.sample(paragraphs, 6))
        (folder / f"g{i:05d}.txt").write_text(text, encoding="utf-8")
        published = date(2022, 3, 1) + timedelta(days=rng.randint(0, 60))
        (folder / f"g{i:05d}.json").write_text(json.dumps({"id": f"g{i}", "published": published.isoformat(),
                                                           "outlet": f"Outlet {i % 9}"}))
    return folder


def _analysing(home: Path, proc: subprocess.Popen, documents: int) -> None:
    """Wait until the add has preserved everything and its analysis is under way."""
    while proc.poll() is None:
        if sql(home, "SELECT count(*) FROM documents")[0][0] >= documents and \
                sql(home, "SELECT count(*) FROM statements WHERE document_id > 2")[0][0] > 0:
            return
    raise AssertionError("the add ended before its analysis could be watched")


def test_people_act_while_a_large_add_analyses(hague: Hague, home: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    hague("init")
    hague("add", str(EXAMPLES))
    monkeypatch.setenv("HAGUE_TOKEN", reviewer_token(home, "rev"))  # review acts are an account's
    incidents = [r["incident"] for r in hague.json("review", "list")]
    ws = open_workspace()
    with ws.write() as s:
        account = accounts.create(s, "tester", "rita", "correct horse battery staple", admin=True)
        cookie, _ = sessions.start(s, account, pending_totp=False, second_factor=False, client="test")
    folder = generated(tmp_path / "big", 400)
    proc = hague_process("add", str(folder), env=workspace_env(home), stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    acts_while_running = 0
    try:
        with Server(ws) as server:
            web = httpx.Client(base_url=server.url, cookies={"hague_session": cookie}, timeout=60)
            _analysing(home, proc, 402)
            for i, incident in enumerate(incidents * 3):
                if proc.poll() is not None:
                    break
                hague("source", "grade", f"Outlet {i % 9}", "B", "2")
                hague("review", "context", incident, "iac", "--reason", f"act {i} during the add")
                assert hague.json("incidents", "--limit", "5")
                assert web.get("/").status_code == 200
                acts_while_running += proc.poll() is None
        _, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err
    finally:
        if proc.poll() is None:
            proc.kill()
    assert acts_while_running >= 2, "no act completed while the add was running"
    grades = sql(home, "SELECT count(*) FROM ledger_entries WHERE action = 'source.grade'")[0][0]
    assert grades >= acts_while_running
    assert sql(home, "SELECT count(*) FROM ledger_entries WHERE action = 'analyze'")[0][0] == 2
    hague("verify")


def test_two_reviewers_decide_at_once(hague: Hague, home: Path) -> None:
    hague("init")
    hague("add", str(EXAMPLES))
    first, second = [r["incident"] for r in hague.json("review", "list")][:2]
    tokens = {who: reviewer_token(home, who) for who in ("ann", "bob", "cy")}  # three accounts
    procs = [hague_process("review", "decide", incident, "evidence_linked", "--reason", f"linked by {who}",
                           env={**workspace_env(home), "HAGUE_TOKEN": tokens[who]}, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
             for incident, who in ((first, "ann"), (second, "bob"), (first, "cy"))]
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    # the same incident decided twice at once: one wins, the other is refused (already in that state), never both
    # half-written
    assert results[1][2] == 0, results[1]
    assert sorted([results[0][2], results[2][2]]) in ([0, 0], [0, 1]), results
    states = dict(sql(home, "SELECT incident_id, state FROM reviews WHERE incident_id IN (:a, :b)", a=first, b=second))
    assert states == {first: "evidence_linked", second: "evidence_linked"}
    hague("verify")
