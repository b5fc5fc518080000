"""Every kind of original the readers know is read into text through the registry, with real files built here;
the registry finds each reader by name, sniffs formats and records reader versions."""

from __future__ import annotations

import codecs
import io
import json
import sqlite3
from pathlib import Path

import pytest
from tests.evidence.readers.samples import SENTENCE, make_pdf, make_warc

from hague.evidence import readers
from hague.evidence.budget import Budget


def _read(media_type: str, data: bytes) -> readers.Extracted:
    reader = readers.for_media_type(media_type)
    assert reader is not None
    return reader.implementation.read(io.BytesIO(data), Budget(30, 1 << 30, 64 << 20))


def test_every_reader_is_a_named_component_with_a_version() -> None:
    found = {r.name: r for r in readers.registry()}
    assert set(found) == {"text", "trafilatura", "pypdf", "json-post", "warc"}
    assert all(r.slot == "reader" and r.version and r.implementation.media_types for r in found.values())
    assert readers.registry().get().name == "text"


@pytest.mark.parametrize(("name", "head", "media_type"), [
    ("report.txt", b"%PDF-1.7 ...", "application/pdf"),  # content wins over the name
    ("page.html", b"<p>hi</p>", "text/html"),
    ("notes.txt", b"<!doctype html><html>", "text/plain"),  # the name wins over a weak content hint
    ("saved", b"<!DOCTYPE html><html>", "text/html"),
    ("crawl.warc.gz", b"\x1f\x8b\x08\x00", "application/warc"),
    ("archive.gz", b"not gzip", "text/plain"),
    ("post.json", b"{}", "application/json"),
    ("README", b"plain words", "text/plain"),
])
def test_sniff(name: str, head: bytes, media_type: str) -> None:
    assert readers.sniff(name, head) == media_type


def test_pdf_text_is_extracted() -> None:
    ex = _read("application/pdf", make_pdf(SENTENCE))
    assert SENTENCE in ex.text and ex.reader == "pypdf" and ex.components == {"reader.pypdf": "1"}


def test_json_post_text_and_metadata_are_read() -> None:
    post = {"data": {"full_text": SENTENCE, "created_at": "2022-03-07T09:00:00Z",
                     "user": {"screen_name": "regional_admin"}, "url": "https://example.org/post/1"}}
    ex = _read("application/json", json.dumps(post).encode())
    assert ex.text == SENTENCE
    assert ex.meta == {"published": "2022-03-07T09:00:00Z", "url": "https://example.org/post/1",
                       "outlet": "regional_admin"}


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_text(codec: str) -> None:
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
           "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}[codec]
    ex = _read("text/plain", bom + f"{SENTENCE}\r\nСвідки кажуть.".encode(codec))
    assert ex.text == f"{SENTENCE}\nСвідки кажуть." and ex.meta["encoding"] == codec[:6].upper()


def test_warc_inner_response_is_read_by_the_reader_of_its_type() -> None:
    ex = _read("application/warc", make_warc(json.dumps({"text": SENTENCE}), "https://example.org/p",
                                             "application/json", compress=True))
    assert ex.text == SENTENCE and ex.reader == "warc+json-post"
    assert ex.components == {"reader.warc": "1", "reader.json-post": "1"} and ex.meta["url"] == "https://example.org/p"


def test_every_kind_is_added_through_the_cli_and_the_ledger_names_the_readers(hague, home: Path,
                                                                               tmp_path: Path) -> None:
    from tests.evidence.test_add import ARTICLE_HTML

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "statement.pdf").write_bytes(make_pdf(SENTENCE))
    (folder / "post.json").write_text(json.dumps({"text": SENTENCE + " Two were injured."}))
    (folder / "page.warc").write_bytes(make_warc(ARTICLE_HTML, "https://example.org/article"))
    hague("init")
    res = hague.json("add", "--no-analyze", str(folder))
    assert sorted(r["status"] for r in res["results"]) == ["added"] * 3
    db = sqlite3.connect(home / "hague.db")
    rows = dict(db.execute("SELECT i.media_type, d.reader FROM items i JOIN documents d ON d.item_sha256 = i.sha256"))
    assert rows == {"application/pdf": "pypdf", "application/json": "json-post",
                    "application/warc": "warc+trafilatura"}
    recorded = {json.loads(d)["reader"]: json.loads(d)["components"]
                for (d,) in db.execute("SELECT details FROM ledger_entries WHERE action = 'capture'")}
    assert recorded == {"pypdf": {"reader.pypdf": "1"}, "json-post": {"reader.json-post": "1"},
                        "warc+trafilatura": {"reader.warc": "1", "reader.trafilatura": "1"}}
    hague("verify")
