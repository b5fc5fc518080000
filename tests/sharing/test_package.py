from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from hague.errors import NotFound
from hague.evidence import keys
from hague.evidence.ledger import head_message
from hague.evidence.pseudonyms import workspace_secret
from hague.law import REVIEW_STATES
from hague.model import Document, IncidentRow, LedgerEntry, ReportRow, StatementRow
from hague.sharing import bag, layout
from hague.sharing.package import PackageResult, create_package
from hague.sharing.redact import Redactor, persons, protect
from hague.sharing.render import incident_summary, wording_table
from hague.sharing.verify import verify_package
from hague.sharing.ziparchive import read_member, read_members, write_zip
from hague.workspace import Workspace


def re_sign(package: Path, tmp_path: Path) -> Path:
    """The package with its tree head signed again by a new key, shipped with that key: self-consistent."""
    files = _members(package)
    mallory = keys.create_key(tmp_path / "mallory.pem")
    pem = keys.public_pem(mallory)
    head = json.loads(files[layout.TREE_HEAD])
    head["key_id"] = keys.key_id(pem)
    head["signature"] = mallory.sign(head_message(head["tree_size"], head["root_hash"], head["timestamp"],
                                                  head["key_id"])).hex()
    files[layout.TREE_HEAD] = json.dumps(head).encode()
    files[layout.PUBLIC_KEY] = pem.encode()
    payload = {p: d for p, d in files.items() if p.startswith("data/")}
    hashes = {p: hashlib.sha256(d).hexdigest() for p, d in payload.items()}
    tags = bag.tag_files(hashes, sum(map(len, payload.values())), [])
    forged = tmp_path / "forged.zip"
    write_zip(forged, [(f"p/{p}", d) for p, d in {**payload, **tags}.items()])
    return forged


def _members(path: Path) -> dict[str, bytes]:
    with path.open("rb") as f:
        return {m.name.split("/", 1)[1]: read_member(f, m) for m in read_members(f)}


def _flip(src: Path, dst: Path, member: str, at: int = 0) -> Path:
    """Change one byte of ``member``'s data (``at`` from its start) in a copy of the zip."""
    data = bytearray(src.read_bytes())
    with src.open("rb") as f:
        m = next(m for m in read_members(f) if m.name.split("/", 1)[1] == member)
    data[m.offset + at] ^= 0x01
    dst.write_bytes(bytes(data))
    return dst


def test_package_is_a_valid_bag_that_verifies(package: PackageResult) -> None:
    files = _members(package.path)
    assert files["bagit.txt"] == bag.BAGIT_TXT
    originals = [p for p in files if p.startswith(layout.ORIGINALS)]
    assert len(originals) == package.items == 3
    for p in originals:
        assert hashlib.sha256(files[p]).hexdigest() == Path(p).stem, "originals keep their hashes"
    with zipfile.ZipFile(package.path) as zf:
        assert zf.testzip() is None
    report = verify_package(package.path, package.tree_head["key_id"])
    assert report.ok, report.failures
    assert report.items == 3 and report.recipient == "ICC OTP" and report.export_seq == package.export_seq
    assert report.proofs == report.entries >= 3
    findings = {k: json.loads(files[f"{layout.FINDINGS}{k}.json"]) for k in ("incidents", "reports", "statements")}
    assert findings["reports"] and findings["statements"] and findings["incidents"]
    assert all("event" in r and "evidence" in r for r in findings["reports"])


def test_export_entry_names_recipient_and_contents_and_is_proved(package: PackageResult) -> None:
    files = _members(package.path)
    entries = [json.loads(line) for line in files[layout.LEDGER].decode().splitlines()]
    export = next(e for e in entries if e["action"] == "export")
    assert export["seq"] == package.export_seq == package.tree_head["tree_size"]
    assert export["details"]["recipient"] == "ICC OTP"
    hashes = {p: hashlib.sha256(d).hexdigest() for p, d in files.items()}
    assert export["details"]["contents_sha256"] == layout.contents_digest(hashes)
    assert set(export["subjects"]) == {Path(p).stem for p in files if p.startswith(layout.ORIGINALS)}
    proofs = json.loads(files[layout.PROOFS])
    assert {p["seq"] for p in proofs["proofs"]} == {e["seq"] for e in entries}


@pytest.mark.parametrize("member", ["data/findings/statements.json", "data/custody/proofs.json",
                                    "data/custody/ledger.jsonl", "manifest-sha256.txt", "tagmanifest-sha256.txt",
                                    "bag-info.txt", "data/index.html"])
def test_one_changed_byte_fails_naming_the_file(package: PackageResult, tmp_path: Path, member: str) -> None:
    bad = _flip(package.path, tmp_path / "bad.zip", member, at=5)
    report = verify_package(bad)
    assert not report.ok
    assert any(member in f.subject for f in report.failures), report.failures


def test_a_changed_original_is_named(package: PackageResult, tmp_path: Path) -> None:
    original = next(p for p in _members(package.path) if p.startswith(layout.ORIGINALS))
    report = verify_package(_flip(package.path, tmp_path / "bad.zip", original, at=100))
    assert [f.subject for f in report.failures][0].endswith(original)


def test_rebuilt_bag_with_fixed_manifests_still_fails(package: PackageResult, tmp_path: Path) -> None:
    """Someone who edits a text and recomputes every manifest cannot match the signed export entry."""
    files = _members(package.path)
    text = next(p for p in files if p.startswith(layout.TEXTS))
    files[text] = files[text].replace(b"Russia", b"Russla", 1)
    payload = {p: d for p, d in files.items() if p.startswith("data/")}
    hashes = {p: hashlib.sha256(d).hexdigest() for p, d in payload.items()}
    info = [tuple(line.split(": ", 1)) for line in files["bag-info.txt"].decode().splitlines()
            if not line.startswith("Payload-Oxum")]
    tags = bag.tag_files(hashes, sum(map(len, payload.values())), info)  # type: ignore[arg-type]
    forged = tmp_path / "forged.zip"
    write_zip(forged, [(f"p/{p}", d) for p, d in {**payload, **tags}.items()])
    report = verify_package(forged)
    assert [f.subject for f in report.failures] == [layout.LEDGER]
    assert "no export entry commits" in report.failures[0].message


def test_re_signed_package_fails_against_the_senders_key(package: PackageResult, tmp_path: Path) -> None:
    assert verify_package(package.path, package.tree_head["key_id"]).ok
    forged = re_sign(package.path, tmp_path)
    alone = verify_package(forged)
    assert alone.intact and not alone.ok and alone.authentication == "unauthenticated", "only the key tells"
    report = verify_package(forged, package.tree_head["key_id"])
    assert [f.subject for f in report.failures] == ["signing key"]


def test_not_a_package(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    assert not verify_package(junk).ok
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert "not written by Hague" in verify_package(plain).failures[0].message


def _protect_kravets(ws: Workspace) -> str:
    with ws.write() as s:
        return protect(s, workspace_secret(ws.config.home), "Olena Kravets", ["Kravets"], "test of redaction",
                       "tester").pseudonym


def test_protected_person_is_pseudonymised_and_original_withheld(seeded_ws: Workspace, tmp_path: Path) -> None:
    alias = _protect_kravets(seeded_ws)
    result = create_package(seeded_ws, "UN COI", tmp_path / "redacted.zip", actor="tester")
    assert verify_package(result.path, result.tree_head["key_id"]).ok
    files = _members(result.path)
    for p, data in files.items():
        if p.startswith("data/") and not p.startswith(layout.ORIGINALS):
            assert b"Kravets" not in data, f"{p} names the protected person"
    assert len(result.withheld) == 1
    assert not any(p.startswith(f"{layout.ORIGINALS}{result.withheld[0]}") for p in files)
    log = json.loads(files[layout.REDACTION_LOG])
    assert log["persons"][0]["pseudonym"] == alias and log["persons"][0]["reason"] == "test of redaction"
    assert log["originals"] == [{"item": result.withheld[0], "names": [alias], "action": "original withheld"}]
    assert log["counts"][alias] == 2  # "Olena Kravets" and "Kravets" in the later article
    assert alias.encode() in files[f"{layout.TEXTS}{result.withheld[0]}.txt"]
    # Spans in findings point into the redacted text shipped.
    with seeded_ws.read() as s:
        doc = s.scalars(select(Document).where(Document.item_sha256 == result.withheld[0])).one()
        rows = list(s.scalars(select(StatementRow).where(StatementRow.document_id == doc.id)))
        redactor = Redactor(persons(s, workspace_secret(seeded_ws.config.home)))
    shipped = files[f"{layout.TEXTS}{result.withheld[0]}.txt"].decode()
    statements = {st["id"]: st for st in json.loads(files[f"{layout.FINDINGS}statements.json"])}
    checked = 0
    for row in rows:
        st = statements[row.id]
        if row.quote_start is not None:
            assert shipped[st["quote"]["start"]:st["quote"]["end"]] == \
                redactor.text(doc.text[row.quote_start:row.quote_end]).text
            checked += 1
    assert checked


def test_include_originals_is_recorded(seeded_ws: Workspace, tmp_path: Path) -> None:
    _protect_kravets(seeded_ws)
    result = create_package(seeded_ws, "UN COI", tmp_path / "full.zip", include_originals=True, actor="tester")
    files = _members(result.path)
    assert not result.withheld
    log = json.loads(files[layout.REDACTION_LOG])
    assert log["originals"][0]["action"] == "original included (--include-originals)"
    with seeded_ws.read() as s:
        export = s.scalars(select(LedgerEntry).where(LedgerEntry.seq == result.export_seq)).one()
    assert export.details["originals_included_naming_protected"] == [log["originals"][0]["item"]]


def test_redact_option_and_incident_selection(seeded_ws: Workspace, tmp_path: Path) -> None:
    with seeded_ws.read() as s:
        incident = s.scalars(select(IncidentRow.id).order_by(IncidentRow.id)).first()
    assert incident
    result = create_package(seeded_ws, "NGO", tmp_path / "one.zip", incident_ids=[incident],
                            redact=["Edgars Rinkēvičs"], actor="tester")
    assert result.incidents == [incident] and verify_package(result.path, result.tree_head["key_id"]).ok
    files = _members(result.path)
    assert "Rinkēvičs".encode() not in b"".join(d for p, d in files.items() if not p.startswith(layout.ORIGINALS))
    log = json.loads(files[layout.REDACTION_LOG])
    assert log["persons"][0]["basis"] == "--redact"
    with pytest.raises(NotFound, match="no incident 'nope'"):
        create_package(seeded_ws, "NGO", tmp_path / "none.zip", incident_ids=["nope"], actor="tester")
    assert not (tmp_path / "none.zip").exists()


def test_index_wording_follows_review_state() -> None:
    assert set(wording_table()["incident_summary"]) == set(REVIEW_STATES)
    for state in REVIEW_STATES:
        assert "3 independent" in incident_summary(state, 3)


def test_index_is_readable(package: PackageResult) -> None:
    html = _members(package.path)[layout.INDEX].decode()
    assert "Evidence package for ICC OTP" in html and package.tree_head["key_id"] in html
    assert html.count('href="originals/') == 3
    assert "committed" not in html.lower()


def test_a_package_of_some_incidents_carries_only_their_findings(seeded_ws: Workspace, tmp_path: Path) -> None:
    """Scoped packages read their incidents' documents only; findings are streamed to disk as the same JSON."""
    with seeded_ws.read() as s:
        incidents = list(s.scalars(select(IncidentRow.id).order_by(IncidentRow.id)))[:2]
        reports = list(s.scalars(select(ReportRow.id).where(ReportRow.incident_id.in_(incidents))))
    result = create_package(seeded_ws, "NGO", tmp_path / "two.zip", incident_ids=incidents, actor="tester")
    files = _members(result.path)
    shipped = json.loads(files[f"{layout.FINDINGS}reports.json"])
    assert len(shipped) == len(reports) and {r["incident_id"] for r in shipped} <= set(incidents)
    assert sorted(i["id"] for i in json.loads(files[f"{layout.FINDINGS}incidents.json"])) == incidents
    for kind in ("reports", "statements"):  # the streamed arrays are byte for byte what json.dumps writes
        data = files[f"{layout.FINDINGS}{kind}.json"]
        assert data == (json.dumps(json.loads(data), indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
    assert verify_package(result.path, result.tree_head["key_id"]).ok
