"""One serialiser per record type: the CLI's --json, exports and packages print the same shape."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.conftest import Hague

from hague.records import grade
from hague.services.reading import document_text
from hague.vocab import Mode
from hague.workspace import Workspace


def test_statements_reports_and_incidents_look_the_same_everywhere(seeded_cli: Hague, tmp_path: Path) -> None:
    hague = seeded_cli
    out = tmp_path / "p.zip"
    hague("package", "create", "--recipient", "Commission", "--out", str(out))
    with zipfile.ZipFile(out) as z:
        members = {name.split("/", 1)[1]: z.read(name) for name in z.namelist()}
    for kind in ("statements", "reports", "incidents"):
        cli = hague.json(kind)
        if kind != "incidents":  # grouped per document for scripts; each record in the one shape
            cli = [r for group in cli for r in group[kind]]
        exported = json.loads(hague("export", kind).stdout)
        packaged = json.loads(members[f"data/findings/{kind}.json"])
        assert cli and cli == exported, kind  # nobody is protected: the export equals the workspace's own view
        assert [set(r) for r in packaged] == [set(r) for r in cli], kind
        assert all(r["machine_output"] is True for r in cli)


def test_a_grade_is_written_the_same_way_for_every_source() -> None:
    assert (grade("B", "2"), grade("B", None), grade(None, None)) == ("B2", "B?", None)


def test_scripts_join_items_to_findings_by_document_and_read_spans(seeded_ws: Workspace, seeded_cli: Hague) -> None:
    """The shape scripts outside the project read (a scorer joins items to statements, then reads spans and
    values): items give ``document_id`` and ``origin``; statements and reports come one group per document,
    ``document`` being that id; every field is ``{value, start, end, confidence, origin}`` and a statement's
    ``quote`` span indexes the document's text."""
    hague = seeded_cli
    items = hague.json("items")
    docs = {i["document_id"]: i for i in items if i["document_id"] is not None}
    assert len(docs) == 3 and all(i["origin"] for i in items)
    groups = hague.json("statements")
    assert {g["document"] for g in groups} == set(docs)
    for group in groups:
        assert group["key"] == docs[group["document"]]["document"]["key"]
        text = document_text(seeded_ws, group["document"])
        assert group["statements"]
        for st in group["statements"]:
            for name in ("speaker", "org", "quote", "mode", "said_on", "stance"):
                assert {"value", "start", "end", "confidence", "origin"} <= st[name].keys(), name
            assert text[st["quote"]["start"]:st["quote"]["end"]] == st["quote"]["value"]
            assert st["mode"]["value"] in set(Mode) and isinstance(st["speaker_aliases"], list)
    assert any(st["speaker"]["value"] and st["org"]["value"] for g in groups for st in g["statements"])
    reports = hague.json("reports")
    assert {g["document"] for g in reports} <= set(docs)
    assert all(r["evidence"] and "value" in r["place"] for g in reports for r in g["reports"])
    (one,) = hague.json("statements", docs[groups[0]["document"]]["document"]["key"])
    assert one == groups[0]
