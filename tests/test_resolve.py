"""One resolver: an exact reference wins, a prefix must be unique, and an ambiguous one lists its candidates."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from hague import resolve
from hague.config import load_config
from hague.errors import AmbiguousReference, InvalidInput, NotFound
from hague.model import Document, IncidentRow, Item, Source
from hague.workspace import Workspace, init_workspace

SHA_A = "abcdef01" + "0" * 56
SHA_B = "abcdef01" + "1" * 56
SHA_C = "12345678" + "2" * 56


@pytest.fixture()
def ws(tmp_path: Path) -> Workspace:
    ws, _ = init_workspace(replace(load_config(), home=tmp_path / "ws", database_url=""), "tester")
    with ws.write() as s:
        for sha in (SHA_A, SHA_B, SHA_C):
            s.add(Item(sha256=sha, size=1, media_type="text/plain", captured_at="t", captured_by="x", origin="o",
                       capture_tool="file"))
        s.flush()
        s.add_all([Document(item_sha256=SHA_A, external_id="art-1", text="a", text_sha256="0", reader="text"),
                   Document(item_sha256=SHA_B, external_id="art-1", text="b", text_sha256="0", reader="text"),
                   Document(item_sha256=SHA_C, external_id="12", text="c", text_sha256="0", reader="text")])
        s.add_all([IncidentRow(id="kharkiv-strike-2022-03-01", independent_count=1, data={}),
                   IncidentRow(id="kharkiv-strike-2022-03-02", independent_count=1, data={}),
                   IncidentRow(id="kyiv_tower-2022", independent_count=1, data={}),
                   Source(name="Example Wire"), Source(name="example wire "), Source(name="Daily Post")])
    return ws


def test_an_item_prefix_must_be_unique_and_the_candidates_are_named(ws: Workspace) -> None:
    with ws.read() as s:
        assert resolve.item(s, SHA_C[:8].upper()).sha256 == SHA_C
        assert resolve.item(s, SHA_A).sha256 == SHA_A
        with pytest.raises(AmbiguousReference) as err:
            resolve.item(s, "abcdef01")
        assert err.value.candidates == [SHA_A, SHA_B] and "give more of it" in str(err.value)
        assert err.value.to_json()["error"] == "ambiguous"
        with pytest.raises(NotFound, match="no item 'ffffffff'"):
            resolve.item(s, "ffffffff")
        with pytest.raises(InvalidInput):
            resolve.item(s, "abc")


def test_a_document_by_key_id_or_sha_and_a_shared_key_is_ambiguous(ws: Workspace) -> None:
    with ws.read() as s:
        assert resolve.document(s, "12").item_sha256 == SHA_C  # a sidecar id wins over the database id 12
        first = s.query(Document).filter_by(item_sha256=SHA_A).one()
        assert resolve.document(s, str(first.id)).item_sha256 == SHA_A
        assert resolve.document(s, SHA_B[:10]).item_sha256 == SHA_B
        with pytest.raises(AmbiguousReference, match="2 documents"):
            resolve.document(s, "art-1")
        with pytest.raises(AmbiguousReference):
            resolve.document(s, "abcdef01")
        with pytest.raises(NotFound):
            resolve.document(s, "art-2")


def test_an_incident_by_id_or_unique_prefix(ws: Workspace) -> None:
    with ws.read() as s:
        assert resolve.incident(s, "kyiv").id == "kyiv_tower-2022"
        assert resolve.incident(s, "kharkiv-strike-2022-03-02").id == "kharkiv-strike-2022-03-02"
        with pytest.raises(AmbiguousReference) as err:
            resolve.incident(s, "kharkiv")
        assert err.value.candidates == ["kharkiv-strike-2022-03-01", "kharkiv-strike-2022-03-02"]
        with pytest.raises(NotFound):
            resolve.incident(s, "ky_v")  # "_" is a character here, not a wildcard


def test_a_source_by_exact_name_then_ignoring_case(ws: Workspace) -> None:
    with ws.read() as s:
        assert resolve.source(s, "Example Wire").name == "Example Wire"
        assert resolve.source(s, "daily post").name == "Daily Post"
        with pytest.raises(NotFound):
            resolve.source(s, "Nobody")
