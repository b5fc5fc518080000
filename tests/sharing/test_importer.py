from __future__ import annotations

import hashlib
import stat
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hague.evidence.audit import verify as audit
from hague.evidence.proofs import inclusion
from hague.model import Document, Item, LedgerEntry
from hague.sharing.importer import ImportFailed, import_package
from hague.sharing.package import PackageResult
from hague.sharing.safety import ArchiveRefused, Limits, check_archive, limits
from hague.sharing.ziparchive import read_members
from hague.workspace import Workspace


def test_import_keeps_hashes_and_provenance(package: PackageResult, receiver: Workspace) -> None:
    result = import_package(receiver, package.path, actor="receiver", key=package.tree_head["key_id"])
    assert len(result.imported) == 3 and result.sender_key_id == package.tree_head["key_id"]
    with receiver.read() as s:
        docs = {d.item_sha256: d for d in s.scalars(select(Document))}
        assert set(docs) == set(result.imported)
        for sha in result.imported:
            assert receiver.store.rehash(sha) == sha, "the original keeps the sender's hash"
            prov = docs[sha].meta["provenance"]
            assert prov["sender_key_id"] == package.tree_head["key_id"]
            assert prov["sender_tree_head"]["root_hash"] == package.tree_head["root_hash"]
            assert prov["sender_entry"]["action"] == "capture" and prov["sender_proof"]["audit_path"] is not None
            assert inclusion(s, sha)["entry"]["details"]["provenance"]["package_sha256"] == package.sha256
        last = s.scalars(select(LedgerEntry).order_by(LedgerEntry.seq.desc())).first()
        assert last.action == "package.import" and last.subjects[0] == package.sha256
    report = audit(receiver)
    assert report.ok, [f.message for f in report.failures]
    again = import_package(receiver, package.path, actor="receiver")  # a sender trusted before: no key needed
    assert again.imported == [] and sorted(again.already_held) == sorted(result.imported)


def test_tampered_package_imports_nothing(package: PackageResult, receiver: Workspace, tmp_path: Path) -> None:
    data = bytearray(package.path.read_bytes())
    with package.path.open("rb") as f:
        m = next(m for m in read_members(f) if "/data/originals/" in m.name)
    data[m.offset + 10] ^= 0x01
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(data))
    with pytest.raises(ImportFailed, match="does not verify"):
        import_package(receiver, bad)
    with receiver.read() as s:
        assert s.scalar(select(func.count()).select_from(Item)) == 0


def _zip(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]],
         method: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return path


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(("members", "message"), [
    ([("p/../../evil.sh", b"x")], "path traversal"),
    ([("/etc/cron.d/evil", b"x")], "absolute path"),
    ([("C:/Windows/evil.dll", b"x")], "drive letter"),
    ([("p\\..\\evil", b"x")], "backslash"),
    ([(_symlink("p/data/link"), b"/etc/passwd")], "symbolic link"),
    ([("p/a.txt", b"x"), ("p/A.TXT", b"y")], "collides"),
])
def test_hostile_archives_are_refused(tmp_path: Path, receiver: Workspace, members: list, message: str) -> None:
    path = _zip(tmp_path / "hostile.zip", members)
    with pytest.raises(ArchiveRefused, match=message) as exc:
        import_package(receiver, path)
    last = members[-1][0]
    assert exc.value.member == (last if isinstance(last, str) else last.filename)


def test_duplicate_names_are_refused(tmp_path: Path) -> None:
    with pytest.warns(UserWarning):
        path = _zip(tmp_path / "dup.zip", [("p/a.txt", b"x"), ("p/a.txt", b"y")])
    with pytest.raises(ArchiveRefused, match="p/a.txt: duplicate member name"):
        check_archive(path, limits(1 << 20))


def test_zip_bombs_are_refused(tmp_path: Path) -> None:
    bomb = _zip(tmp_path / "bomb.zip", [("p/zeros", b"\0" * (8 << 20))], zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 100_000
    with pytest.raises(ArchiveRefused, match=r"compression ratio 1,0\d\d:1 is over the limit of 100:1 \(zip bomb\)"):
        check_archive(bomb, limits(1 << 30))
    with pytest.raises(ArchiveRefused, match="over the limit of 1,048,576 .zip bomb"):
        check_archive(bomb, limits(1 << 20))
    many = _zip(tmp_path / "many.zip", [(f"p/{i}", b"abc") for i in range(3)])
    with pytest.raises(ArchiveRefused, match="more than 6 bytes"):
        check_archive(many, Limits(max_members=10, max_total_bytes=6, max_ratio=100, ratio_from_bytes=0,
                                   max_member_bytes=100))
    with pytest.raises(ArchiveRefused, match="3 members, more than the limit of 2"):
        check_archive(many, Limits(2, 100, 100, 0, 100))


def test_not_a_zip(tmp_path: Path, receiver: Workspace) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(hashlib.sha256(b"x").digest())
    with pytest.raises(ArchiveRefused, match="x.zip is not a readable zip archive"):
        import_package(receiver, path)
