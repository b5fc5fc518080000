"""Curation acts: who may take them, on what, what they keep beside the machine, and how they are undone."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.conftest import Team

from hague.errors import InvalidInput, NotFound, Refused
from hague.model import Document, LedgerEntry
from hague.services import curation
from hague.vocab import Action


def test_only_analysts_and_leads_curate_and_only_in_their_case(team: Team) -> None:
    st = team.statements()[0]
    for name in ("reviewer", "viewer", "partner"):
        with pytest.raises(Refused, match=f"{name} is a {name}"):
            curation.reject(team.ws, team.member(name), "statement", st.id)
    other_lead = team.member("lead", case="other")  # the other case holds one item only
    with team.ws.read() as s:
        outside = s.scalars(select(Document.id).where(Document.item_sha256 != team.seeded.items[0])).all()
    st_outside = next(x for x in team.statements() if x.document_id in outside)
    with pytest.raises(NotFound, match="not in case 'other'"):
        curation.reject(team.ws, other_lead, "statement", st_outside.id)
    assert len(team.statements()) == len({x.id for x in team.statements()})  # nothing changed


def test_a_correction_keeps_the_machines_value_who_and_when_and_is_a_ledger_entry(team: Team) -> None:
    analyst = team.member("analyst")
    st = team.statements()[1]
    done = curation.correct(team.ws, analyst, "statement", st.id, {"org": "UN Security Council"})
    row = next(x for x in team.statements() if x.id == st.id)
    assert row.org == "UN Security Council" and row.fields["org"]["origin"] == "analyst"
    meta = row.fields["curation"]["fields"]["org"]
    assert meta["machine"] == st.org and meta["by"] == "analyst" and meta["at"]
    with team.ws.read() as s:
        entry = s.scalars(select(LedgerEntry).order_by(LedgerEntry.seq.desc())
                          .where(LedgerEntry.action == Action.CURATE_FINDING)).first()
    assert entry.actor == "analyst" and entry.details["changes"]["org"] == {"machine": st.org,
                                                                            "value": "UN Security Council"}
    assert entry.details["decision"] == done.details["decision"]
    with pytest.raises(InvalidInput, match="stance"):
        curation.correct(team.ws, analyst, "statement", st.id, {"stance": "furious"})


def test_undo_brings_back_what_the_machine_said(team: Team) -> None:
    analyst = team.member("analyst")
    before = team.statements()
    rejected = curation.reject(team.ws, analyst, "statement", before[0].id)
    assert len(team.statements()) == len(before) - 1
    curation.undo(team.ws, analyst, rejected.details["decision"])
    back = team.statements()
    assert len(back) == len(before)
    assert (before[0].document_id, before[0].quote_start, before[0].speaker) in {
        (x.document_id, x.quote_start, x.speaker) for x in back}
    fixed = curation.correct(team.ws, analyst, "statement", before[1].id, {"speaker": "Someone"})
    curation.undo(team.ws, analyst, fixed.details["decision"])
    assert next(x for x in team.statements() if x.id == before[1].id).speaker == before[1].speaker


def test_a_missed_statement_and_report_are_added_on_a_span_of_the_text(team: Team) -> None:
    analyst = team.member("analyst")
    with team.ws.read() as s:
        doc = s.scalars(select(Document).order_by(Document.id)).first()
        key, text = doc.external_id or str(doc.id), doc.text
    start = text.index("Marsh")
    done = curation.add(team.ws, analyst, "statement", key, start, start + 40,
                        {"speaker": "Daniel Marsh", "stance": "investigating", "said_on": "2022-03-04"})
    added = next(x for x in team.statements() if x.id == done.details["row"])
    assert added.analyzer == "person" and added.fields["quote"]["value"] == text[start:start + 40]
    before = team.incidents()
    rep = curation.add(team.ws, analyst, "report", key, start, start + 40,
                       {"event": "attack", "place": "Kyiv", "coordinates": "50.45,30.52"})
    incident = team.incident(rep.details["incident"])
    assert incident is not None and rep.details["incident"] not in before  # a new incident of its own
    assert incident.data["fields"]["place"]["values"][0]["value"] == "Kyiv"
    with pytest.raises(Refused, match="already decided"):
        curation.add(team.ws, analyst, "statement", key, start, start + 40, {"speaker": "Daniel Marsh"})
    with pytest.raises(InvalidInput, match="not inside"):
        curation.add(team.ws, analyst, "statement", key, 0, len(text) + 5, {"speaker": "X"})


def test_move_split_and_proposals(team: Team) -> None:
    analyst = team.member("analyst")
    incidents = team.incidents()
    with_two = next(i for i in incidents if sum(r.incident_id == i for r in team.reports()) >= 2)
    first = next(r for r in team.reports() if r.incident_id == with_two)
    split = curation.split(team.ws, analyst, with_two, [first.id])
    new = split.details["incident"]
    assert new not in incidents and next(r for r in team.reports() if r.id == first.id).incident_id == new
    assert next(r for r in team.reports() if r.id == first.id).incident_origin == "analyst"
    curation.move(team.ws, analyst, [first.id], with_two)
    assert next(r for r in team.reports() if r.id == first.id).incident_id == with_two
    with pytest.raises(InvalidInput, match="not none and not all"):
        curation.split(team.ws, analyst, with_two, [])
    assert curation.list_proposals(team.ws, analyst).total == 0


def test_a_person_accepts_or_refuses_the_machines_merge_proposals(team: Team) -> None:
    from hague.model import IncidentProposal
    from hague.timestamps import utc_now

    a, b, c = team.incidents()[:3]
    with team.ws.write() as s:  # as the analysis proposes them (hague.analysis.incidents)
        for pair in ((a, b), (a, c)):
            s.add(IncidentProposal(kind="merge", incidents=list(pair), score=0.4, reason="new reports",
                                   state="open", proposed_at=utc_now(), proposed_by="tester"))
    analyst = team.member("analyst")
    first, second = sorted(p.id for p in curation.list_proposals(team.ws, analyst).items)
    with pytest.raises(Refused, match="viewer is a viewer"):
        curation.decide_proposal(team.ws, team.member("viewer"), first, True)
    curation.decide_proposal(team.ws, analyst, second, False)
    done = curation.decide_proposal(team.ws, analyst, first, True)
    assert done.details["state"] == "accepted" and done.details["merged"]["merged"] == [b]
    assert team.incident(b) is None and team.incident(a) is not None
    assert curation.list_proposals(team.ws, analyst).total == 0
    refused = curation.list_proposals(team.ws, analyst, state="rejected").items
    assert [(p.incidents, p.decided_by) for p in refused] == [([a, c], "analyst")]
    with pytest.raises(Refused, match="already accepted"):
        curation.decide_proposal(team.ws, analyst, first, False)
