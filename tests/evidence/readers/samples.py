"""Real originals built byte by byte for reader tests: PDFs (plain, or with inflating streams) and WARC files."""

from __future__ import annotations

import gzip
import io
import zlib

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SENTENCE = "Shelling was reported near the railway station on Monday morning."


def make_pdf(text: str, inflating: list[int] = ()) -> bytes:  # type: ignore[assignment]
    """A one-page PDF with ``text`` in Helvetica, plus one Flate stream per size in ``inflating`` (spaces that
    inflate to that many bytes) in the page's contents; cross-reference offsets computed exactly."""
    streams = [b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"
               for body in [f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()]]
    for size in inflating:
        packed = zlib.compress(b" " * size, 9)
        streams.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")
    first = 5  # object number of the first content stream
    contents = " ".join(f"{first + i} 0 R" for i in range(len(streams))).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [" + contents + b"] "
        b"/Resources << /Font << /F1 4 0 R >> >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *streams,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def make_warc(body: bytes | str, url: str, content_type: str = "text/html; charset=utf-8",
              headers: list[tuple[str, str]] = (), compress: bool = False) -> bytes:  # type: ignore[assignment]
    """A WARC holding one 200 response; ``compress``: each record gzipped, as ``.warc.gz`` files are."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    http = StatusAndHeaders("200 OK", [("Content-Type", content_type), *headers], protocol="HTTP/1.1")
    payload = body.encode() if isinstance(body, str) else body
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http))
    return out.getvalue()


def gzip_bomb(size: int) -> bytes:
    """``size`` bytes of spaces, gzipped (a few KB on the wire)."""
    return gzip.compress(b" " * size, 9)
