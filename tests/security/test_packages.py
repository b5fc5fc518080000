"""A package re-signed by another key and shipped with that key is intact but not the sender's: without the
sender's fingerprint it is UNAUTHENTICATED (exit 1, ``"ok": false``), import refuses it, and a key argument
that cannot identify a key is an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.security.conftest import Reviewed
from tests.sharing.test_package import re_sign


@pytest.fixture()
def shipped(reviewed: Reviewed, tmp_path: Path) -> tuple[Path, Path, str]:
    out = tmp_path / "out" / "for-icc.zip"
    created = reviewed.hague.json("package", "create", "--recipient", "ICC OTP", "--out", str(out))
    return out, re_sign(out, tmp_path), created["tree_head"]["key_id"]


def test_a_re_signed_package_is_unauthenticated_and_fails_against_the_senders_key(reviewed: Reviewed,
                                                                                  shipped) -> None:
    out, forged, key = shipped
    hague = reviewed.hague
    assert len(key) == 64, "key ids are full SHA-256 fingerprints"
    plain = hague("package", "verify", str(forged), "--json", ok=False)
    report = json.loads(plain.stdout)
    assert plain.exit_code == 1 and report["ok"] is False and report["intact"] is True
    assert report["authentication"] == "unauthenticated"
    assert "UNAUTHENTICATED" in hague("package", "verify", str(forged), ok=False).stdout
    against = json.loads(hague("package", "verify", str(forged), "--key", key, "--json", ok=False).stdout)
    assert [f["subject"] for f in against["failures"]] == ["signing key"]
    assert hague("package", "verify", str(out), "--key", key).exit_code == 0
    tofu = json.loads(hague("package", "verify", str(forged), "--trust-on-first-use", "--json").stdout)
    assert tofu["authentication"] == "trust-on-first-use" and tofu["key_id"] != key


@pytest.mark.parametrize("value", ["", "   ", "deadbeef", "827d2e2b1b580dc9"])
def test_a_key_that_names_no_key_is_an_error(reviewed: Reviewed, shipped, value: str) -> None:
    res = reviewed.hague("package", "verify", str(shipped[0]), "--key", value, ok=False)
    assert res.exit_code == 2 and "--key" in res.output


def test_import_refuses_an_unauthenticated_package(reviewed: Reviewed, shipped, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out, forged, key = shipped
    monkeypatch.setenv("HAGUE_HOME", str(tmp_path / "receiver"))
    hague = reviewed.hague
    hague("init")
    for args in ((str(forged),), (str(forged), "--key", key)):
        res = hague("package", "import", *args, ok=False)
        assert res.exit_code == 1
    assert "UNAUTHENTICATED" in hague("package", "import", str(out), ok=False).output
    assert json.loads(hague("items", "--json").stdout) == []
    hague("package", "import", str(out), "--key", key)
    log = json.loads(hague("log", "--json").stdout)
    assert log[-1]["action"] == "package.import" and log[-1]["details"]["authentication"] == "key"
