"""Reading as services: the analysis run under an explicit actor, and statements/reports by page."""

from __future__ import annotations

import pytest

from hague.errors import NotFound
from hague.progress import Progress
from hague.services import evidence, reading
from hague.vocab import Stage
from hague.workspace import Workspace

LATE = "002_harbour_hospital"


def test_analyze_records_the_actor_and_is_idempotent(seeded_ws: Workspace) -> None:
    done = reading.analyze(seeded_ws, "Ana Analyst", force=True)
    assert done.summary.read == 3 and done.tree_head["tree_size"] > 0
    entry = evidence.list_ledger(seeded_ws, action="analyze", limit=1).items[0]
    assert entry.actor == "Ana Analyst" and entry.details["read"] == 3
    assert reading.analyze(seeded_ws, "Ana Analyst").summary.read == 0


def test_statements_and_reports_page_by_document_and_incident(seeded_ws: Workspace) -> None:
    doc = reading.get_document(seeded_ws, LATE)
    everything = reading.list_statements(seeded_ws, limit=1000)
    mine = reading.list_statements(seeded_ws, LATE, limit=5)
    assert mine.total == sum(s.document == LATE for s in everything.items) and len(mine.items) == 5
    assert all(s.document_id == doc.id and s.item == doc.item for s in mine.items)
    text = reading.document_text(seeded_ws, doc.id)
    assert text == reading.document_text(seeded_ws, LATE) and len(text) == doc.chars
    quote = mine.items[0]
    assert text[quote.quote_start:quote.quote_end] == quote.fields["quote"]["value"]
    report = next(r for r in reading.list_reports(seeded_ws, limit=100).items if r.incident_id)
    of_incident = reading.list_reports(seeded_ws, incident=report.incident_id).items
    assert report.id in {r.id for r in of_incident} and {r.incident_id for r in of_incident} == {report.incident_id}
    with pytest.raises(NotFound):
        reading.list_statements(seeded_ws, "no-such-document")


def test_analysis_reports_each_stage_and_all_its_work(seeded_ws: Workspace) -> None:
    started: list[tuple[Stage, int]] = []
    done: dict[Stage, int] = {}

    def finished(stage: Stage, n: int) -> None:
        assert started and started[-1][0] == stage  # work is reported only for the stage running
        done[stage] = done.get(stage, 0) + n

    reading.analyze(seeded_ws, "Ana Analyst", force=True, progress=Progress(lambda s, n: started.append((s, n)),
                                                                            finished))
    assert [s for s, _ in started] == [Stage.READING, Stage.PLACING, Stage.SETTLING]
    assert dict(started) == done
    assert done[Stage.READING] == 3 and done[Stage.PLACING] >= 3 and done[Stage.SETTLING] >= 1
