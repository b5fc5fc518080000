"""The JSON API over real HTTP: pages, the same records as the CLI, the same per-case rules as the pages."""

from __future__ import annotations

import httpx
from tests.conftest import Seeded
from tests.web.conftest import Server, captured

from hague.records import IncidentRecord
from hague.team import accounts, cases, tokens
from hague.team.roles import TokenScope


def _api(seeded: Seeded, server: Server, name: str, scope: TokenScope = TokenScope.READ) -> httpx.Client:
    with seeded.ws.write() as s:
        secret = tokens.create(s, name, accounts.get(s, name), cases.get(s, seeded.case), "api test", scope)
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {secret}"}, timeout=60)


def test_listings_are_pages_with_a_next_offset(seeded: Seeded, server: Server) -> None:
    api = _api(seeded, server, "viewer")
    first = api.get("/api/v1/cases/ukraine/statements", params={"limit": 2}).json()
    assert len(first["items"]) == 2 and first["total"] > 2 and first["next_offset"] == 2
    second = api.get("/api/v1/cases/ukraine/statements", params={"limit": 2, "offset": 2}).json()
    assert {x["id"] for x in first["items"]}.isdisjoint(x["id"] for x in second["items"])
    assert api.get("/api/v1/cases/ukraine/statements", params={"limit": 100000}).status_code == 422
    everything = api.get("/api/v1/cases/ukraine/incidents", params={"limit": 1000}).json()
    assert everything["next_offset"] is None and len(everything["items"]) == everything["total"]


def test_records_are_the_shared_serialisers(seeded: Seeded, server: Server) -> None:
    from hague.assessments import review_states, wording_for
    from hague.model import IncidentRow

    api = _api(seeded, server, "lead")
    got = api.get(f"/api/v1/cases/ukraine/incidents/{seeded.shared_incident}").json()["incident"]
    with seeded.ws.read() as s:
        row = s.get(IncidentRow, seeded.shared_incident)
        state = review_states(s, [row.id])[row.id]
        expected = IncidentRecord.of(row, state, wording_for(state, row.status).label).to_json()
    assert got == expected


def test_partner_api_sees_the_shared_incident_only(seeded: Seeded, server: Server) -> None:
    api = _api(seeded, server, "partner")
    ids = [x["id"] for x in api.get("/api/v1/cases/ukraine/incidents").json()["items"]]
    assert ids == [seeded.shared_incident]
    assert api.get(f"/api/v1/cases/ukraine/incidents/{seeded.unshared_incident}").status_code == 404
    assert api.get("/api/v1/cases/ukraine/ledger").status_code == 403


def test_search_and_document_view(seeded: Seeded, server: Server) -> None:
    api = _api(seeded, server, "reviewer")
    hits = api.get("/api/v1/cases/ukraine/search", params={"q": "cluster munition", "kind": "documents"}).json()
    assert hits["total"] >= 1 and "[" in hits["items"][0]["snippet"]
    doc = api.get(f"/api/v1/cases/ukraine/documents/{hits['items'][0]['document_id']}").json()
    text = doc["text"]
    for st in doc["statements"]:
        quote = st["quote"]
        assert text[quote["start"]:quote["end"]] == quote["value"]
    assert api.get("/api/v1/cases/ukraine/search", params={"q": "!!!"}).status_code == 400


def test_upload_with_a_write_token_is_recorded_under_its_owner(seeded: Seeded, server: Server) -> None:
    from sqlalchemy import select

    from hague.model import LedgerEntry

    api = _api(seeded, server, "analyst", TokenScope.WRITE)
    files = {"files": ("api-note.txt", b"The governor said on Friday that the bridge in Mykolaiv was shelled.\n",
                       "text/plain")}
    r = api.post("/api/v1/cases/ukraine/items", files=files, data={"outlet": "API Wire", "published": "2022-03-05"})
    assert r.status_code == 202 and r.json()["state"] == "queued", r.text  # queued for the worker, not read here
    job = r.json()["id"]
    [sha] = captured(seeded.ws, str(job))
    progress = api.get(f"/api/v1/cases/ukraine/jobs/{job}").json()
    assert progress["state"] == "done" and progress["inputs"][0]["sha256"] == sha
    assert api.get(f"/api/v1/cases/{seeded.other_case}/jobs/{job}").status_code in (403, 404)
    with seeded.ws.read() as s:
        capture = s.scalars(select(LedgerEntry).where(LedgerEntry.action == "capture")
                            .order_by(LedgerEntry.seq.desc()).limit(1)).one()
    assert capture.actor == "analyst" and sha in capture.subjects
    item = api.get(f"/api/v1/cases/ukraine/items/{sha}").json()
    assert item["document"]["outlet"] == "API Wire" and item["custody"][0]["action"] == "capture"


def test_full_text_search_filters_and_pages_on_this_backend(seeded: Seeded, server: Server) -> None:
    """Search over documents and statements with the date and outlet filters and pagination, on documents this
    test uploads itself (FTS5 on SQLite, tsvector on PostgreSQL: `make test` and `make test-postgres` both run it)."""
    writer = _api(seeded, server, "analyst", TokenScope.WRITE)
    notes = [(f"orchard-{n}.txt", f"Officials said on Monday that shelling hit the pomegranate orchards near "
              f"Vilnohirsk, report {n}. \"The orchards burned all night,\" said the farmer Taras Ostapchuk.\n",
              "Orchard Wire" if n % 2 else "Valley Post", f"2022-04-0{n + 1}") for n in range(4)]
    for name, body, outlet, day in notes:
        r = writer.post("/api/v1/cases/ukraine/items", files={"files": (name, body.encode(), "text/plain")},
                        data={"outlet": outlet, "published": day})
        assert r.status_code == 202, r.text
        captured(seeded.ws, str(r.json()["id"]))
    api = _api(seeded, server, "viewer")

    def search(**params: str | int) -> dict:
        r = api.get("/api/v1/cases/ukraine/search", params=params)
        assert r.status_code == 200, r.text
        return r.json()

    every = search(q="pomegranate Vilnohirsk", kind="documents")
    assert every["total"] == 4 and all("[" in h["snippet"] for h in every["items"])
    assert search(q="pomegranate", kind="documents", outlet="Orchard Wire")["total"] == 2
    assert search(q="pomegranate", kind="documents", published_from="2022-04-02", published_to="2022-04-03")[
        "total"] == 2
    assert search(q="pomegranate unicorns", kind="documents")["total"] == 0  # every word must occur
    first, second = (search(q="pomegranate", kind="documents", limit=3, offset=o) for o in (0, 3))
    assert len(first["items"]) == 3 and first["next_offset"] == 3 and len(second["items"]) == 1
    assert {h["document_id"] for h in first["items"]} | {h["document_id"] for h in second["items"]} == {
        h["document_id"] for h in every["items"]}
    said = search(q="orchards burned", kind="statements")
    assert said["total"] >= 1 and all("orchards" in h["snippet"].lower() for h in said["items"])
