"""What a placing run keeps between its chunks (:class:`hague.analysis.incidents._Seen`)."""

from __future__ import annotations

from sqlalchemy import select

from hague.analysis import incidents as placing
from hague.analysis.reuse import load_doc_infos
from hague.corroboration import incidents as clustering
from hague.corroboration.incidents import ReportRef
from hague.findings import report_of
from hague.model import ReportRow


def test_a_placing_run_keeps_the_reports_used_last_described_and_without_their_texts(seeded_ws, monkeypatch):
    def load(ids):  # type: ignore[no-untyped-def]
        with seeded_ws.read() as s:
            return load_doc_infos(s, ids)

    with seeded_ws.read() as s:
        rows = list(s.scalars(select(ReportRow).where(ReportRow.incident_id.is_not(None)).order_by(ReportRow.id)))
    assert len(rows) >= 6
    docs = {d.id: d for d in load({r.document_id for r in rows})}
    seen = placing._Seen(load)
    refs = seen.refs_of(rows[:4])
    for row, ref in zip(rows[:4], refs, strict=True):
        doc = docs[row.document_id]
        whole = ReportRef(doc.key, row.idx, report_of(row), doc.published, doc.outlet, doc.text)
        assert ref.key == whole.key and ref.report == whole.report
        assert ref.text == ""  # the document's text served its description and is not kept
        assert seen.describe(ref) == clustering.describe(whole, {})
        assert seen.describe(ref)[0]  # there was evidence to describe
    monkeypatch.setattr(placing, "SEEN_MAX", 3)
    seen.refs_of([rows[0]])  # used again: now the latest
    seen.forget_least_used()
    assert list(seen.refs) == [rows[2].id, rows[3].id, rows[0].id]  # the least used went
    assert set(seen.doc_of) == set(seen.refs)
    assert set(seen.described) == {ref.key for ref in seen.refs.values()}
    with seeded_ws.read() as s:
        compared = seen.members(s, [rows[2].incident_id])[rows[2].incident_id]
    assert rows[2].id in compared
    assert set(list(seen.refs)[-len(compared):]) == set(compared)  # an incident's members met: the latest used
