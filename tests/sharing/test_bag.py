from __future__ import annotations

import hashlib

from hague.sharing import bag


def _files() -> dict[str, bytes]:
    return {"data/a.txt": b"one", "data/b/c.txt": b"two"}


def _bag(files: dict[str, bytes]) -> dict[str, bytes]:
    hashes = {p: hashlib.sha256(d).hexdigest() for p, d in files.items()}
    return {**files, **bag.tag_files(hashes, sum(map(len, files.values())), [("Contact-Name", "tester")])}


def _check(everything: dict[str, bytes]) -> list[bag.BagProblem]:
    hashes = {p: hashlib.sha256(d).hexdigest() for p, d in everything.items()}
    sizes = {p: len(d) for p, d in everything.items()}
    texts = {p: d.decode() for p, d in everything.items() if not p.startswith("data/")}
    return bag.check_bag(hashes, sizes, texts)


def test_tag_files_follow_rfc_8493() -> None:
    b = _bag(_files())
    assert b["bagit.txt"] == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    assert b["manifest-sha256.txt"].decode().splitlines() == [
        f"{hashlib.sha256(b'one').hexdigest()}  data/a.txt", f"{hashlib.sha256(b'two').hexdigest()}  data/b/c.txt"]
    assert "Payload-Oxum: 6.2" in b["bag-info.txt"].decode()
    listed = {line.split()[1] for line in b["tagmanifest-sha256.txt"].decode().splitlines()}
    assert listed == {"bagit.txt", "bag-info.txt", "manifest-sha256.txt"}
    assert _check(b) == []


def test_problems_name_the_file() -> None:
    b = _bag(_files())
    assert [p.file for p in _check({**b, "data/a.txt": b"One"})] == ["data/a.txt"]
    assert [p.file for p in _check({**b, "data/extra.txt": b"x"})][0] == "data/extra.txt"
    missing = dict(b)
    del missing["data/b/c.txt"]
    assert "data/b/c.txt" in [p.file for p in _check(missing)]
    assert [p.file for p in _check({**b, "bagit.txt": b"BagIt-Version: 0.97\n"})][0] == "bagit.txt"


def test_manifest_paths_are_percent_encoded() -> None:
    text = bag.manifest_text({"data/100%\nsure.txt": "0" * 64}).decode()
    assert text == f"{'0' * 64}  data/100%25%0Asure.txt\n"
    assert bag.parse_manifest("m", text)[0] == {"data/100%\nsure.txt": "0" * 64}
