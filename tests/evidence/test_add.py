"""`hague add` on real files: metadata, duplicates, and every kind of bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import EXAMPLES, sql

ARTICLE_HTML = """<!doctype html><html><head><title>Shelling reported near the plant</title>
<meta property="og:site_name" content="Example Wire"><meta name="date" content="2022-03-04">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Shelling reported near the plant</h1>
<p>Officials said on Friday that artillery fire struck a training building near the nuclear plant overnight,
setting it on fire before firefighters reached the site in the early morning hours.</p>
<p>The regional governor said no radiation release had been detected, and that inspectors were on their way
to assess the damage to the facility and its staff.</p></article>
<footer>Copyright Example Wire</footer></body></html>"""


def test_add_examples_with_sidecars_then_again_is_one_item(hague, home: Path) -> None:
    hague("init")
    first = hague.json("add", str(EXAMPLES))
    assert [r["status"] for r in first["results"]] == ["added", "added", "added"]
    rows = sql(home, "SELECT external_id, outlet, published, title FROM documents ORDER BY external_id")
    assert rows == [
        ("001_courier_hospital", "Eastbridge Courier", "2022-03-11",
         "Officials give conflicting accounts of strike on Kharkiv hospital"),
        ("002_harbour_hospital", "Harbour Line Daily", "2022-03-21", None),
        ("003_courier_shelling", "Eastbridge Courier", "2022-03-16",
         "Shelling of Chernihiv apartment blocks kills seven"),
    ]
    again = hague.json("add", str(EXAMPLES))
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate", "duplicate"]
    assert sql(home, "SELECT count(*) FROM items") == [(3,)]
    # Stored originals are byte-identical to the inputs.
    for r in first["results"]:
        blob = home / "objects" / r["sha256"][:2] / r["sha256"][2:4] / r["sha256"]
        assert blob.read_bytes() == Path(r["input"]).read_bytes()


def test_options_override_sidecar_and_page_metadata_is_read(hague, home: Path, tmp_path: Path) -> None:
    hague("init")
    page = tmp_path / "page.html"
    page.write_text(ARTICLE_HTML)
    (tmp_path / "page.json").write_text(json.dumps({"id": "p1", "outlet": "Sidecar Outlet"}))
    res = hague.json("add", str(page), "--outlet", "Option Outlet", "--note", "from a tip line")
    assert res["results"][0]["status"] == "added"
    (row,) = sql(home, "SELECT external_id, outlet, title, published, reader, text FROM documents")
    assert row[:5] == ("p1", "Option Outlet", "Shelling reported near the plant", "2022-03-04", "trafilatura")
    assert "artillery fire struck a training building" in row[5] and "Copyright" not in row[5]
    assert sql(home, "SELECT note FROM items") == [("from a tip line",)]


def _make_bad_inputs(folder: Path) -> dict[str, str]:
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.txt").write_bytes(os.urandom(4096) + b"\x00" * 16)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage without xref")
    (folder / "empty.html").write_text("<html><head><title>x</title></head><body><div></div></body></html>")
    (folder / "good.txt").write_text("Witnesses said the market was shelled on Tuesday morning.\n")
    return {"empty.txt": "empty file", "garbage.txt": "binary data", "broken.pdf": "PDF",
            "empty.html": "no readable text"}


def test_bad_inputs_fail_alone_with_a_named_reason_and_leave_nothing(hague, home: Path, tmp_path: Path) -> None:
    hague("init")
    expected = _make_bad_inputs(tmp_path / "in")
    res = hague("add", str(tmp_path / "in"), str(tmp_path / "nope.txt"), "--json", ok=False)
    assert res.exit_code == 1
    results = {Path(r["input"]).name: r for r in json.loads(res.stdout)["results"]}
    for name, reason in expected.items():
        assert results[name]["status"] == "failed" and reason in results[name]["reason"], results[name]
    assert results["nope.txt"]["reason"] == "no such file or directory"
    assert results["good.txt"]["status"] == "added"
    # One line on stderr per failure, naming the input.
    for name in [*expected, "nope.txt"]:
        assert any(name in line and "failed" in line for line in res.stderr.splitlines()), name
    assert sql(home, "SELECT count(*) FROM items") == [(1,)]
    assert sql(home, "SELECT count(*) FROM ledger_entries WHERE action='capture'") == [(1,)]
    assert list((home / "objects" / "tmp").iterdir()) == []
    assert len([p for p in (home / "objects").glob("??/??/*")]) == 1
    hague("verify")


def test_invalid_utf8_is_decoded_with_a_notice_or_refused(hague, home: Path, tmp_path: Path) -> None:
    hague("init")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Le ministère a déclaré que l'hôpital a été touché à l'aube près de la gare.\n"
                      .encode("cp1252") * 3)
    res = hague("add", str(latin))
    assert "not valid UTF-8: decoded as" in res.stderr
    ((text,),) = sql(home, "SELECT text FROM documents")
    assert "ministère" in text and "hôpital" in text


def test_size_limit_is_enforced_while_streaming(hague, home: Path, tmp_path: Path, monkeypatch) -> None:
    hague("init")
    monkeypatch.setenv("HAGUE_MAX_ITEM_BYTES", "1000")
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    res = hague("add", str(big), ok=False)
    assert "larger than the limit of 1,000 bytes" in res.stderr
    assert list((home / "objects" / "tmp").iterdir()) == []


def test_a_sidecar_named_alone_is_not_an_item(hague, tmp_path: Path) -> None:
    hague("init")
    res = hague("add", str(EXAMPLES / "001_courier_hospital.json"), ok=False)
    assert "sidecar" in res.stderr


def test_commands_outside_a_workspace_say_what_to_do(hague) -> None:
    res = hague("verify", ok=False)
    assert res.exit_code == 2 and "hague init" in res.stderr


def test_bad_published_option_is_refused(hague) -> None:
    hague("init")
    res = hague("add", str(EXAMPLES), "--published", "March 4", ok=False)
    assert "YYYY-MM-DD" in res.stderr
