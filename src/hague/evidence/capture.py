"""Fetch a URL and preserve the exchange as a WARC file (request and response records per hop).

Redirects are followed by hand so every hop is recorded and a loop is named as such;
the body is streamed raw (still content-encoded) with the size limit enforced while it
arrives, so the WARC holds what the server actually sent.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from hague import __version__
from hague.evidence.store import TooLarge


class CaptureError(Exception):
    """The URL could not be captured; the message says why."""


@dataclass(frozen=True)
class Capture:
    warc_path: Path
    url: str
    final_url: str
    status: int
    hops: int


USER_AGENT = f"Hague/{__version__} (evidence capture)"


def capture_url(url: str, workdir: Path, *, timeout: float, max_redirects: int, limit: int) -> Capture:
    """Fetch ``url`` into a new gzipped WARC file under ``workdir``; the caller stages and removes it."""
    fd, name = tempfile.mkstemp(prefix="capture-", suffix=".warc.gz", dir=workdir)
    path = Path(name)
    try:
        with open(fd, "wb") as out, httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}) as client:
            writer = WARCWriter(out, gzip=True)
            status, final, hops = _fetch(client, writer, url, max_redirects, limit)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Capture(path, url, final, status, hops)


def _fetch(client: httpx.Client, writer: WARCWriter, url: str, max_redirects: int,
           limit: int) -> tuple[int, str, int]:
    seen: set[str] = set()
    request = client.build_request("GET", url)
    for hop in range(max_redirects + 1):
        key = str(request.url)
        if key in seen:
            raise CaptureError(f"redirect loop at {key}")
        seen.add(key)
        try:
            response = client.send(request, stream=True, follow_redirects=False)
        except httpx.TimeoutException:
            raise CaptureError(f"timed out after {client.timeout.read}s") from None
        except httpx.HTTPError as exc:
            raise CaptureError(f"could not fetch: {exc}") from None
        try:
            with tempfile.SpooledTemporaryFile(max_size=8 << 20) as body:
                _read_body(response, body, limit)
                _write_exchange(writer, request, response, body)
        finally:
            response.close()
        if response.is_redirect and response.next_request is not None:
            request = response.next_request
            continue
        if response.status_code >= 400:
            raise CaptureError(f"HTTP {response.status_code} {response.reason_phrase}")
        return response.status_code, key, hop + 1
    raise CaptureError(f"more than {max_redirects} redirects (a redirect loop?)")


def _read_body(response: httpx.Response, body: IO[bytes], limit: int) -> None:
    size = 0
    try:
        for chunk in response.iter_raw():
            size += len(chunk)
            if size > limit:
                raise TooLarge(f"response larger than the limit of {limit:,} bytes")
            body.write(chunk)
    except httpx.TimeoutException:
        raise CaptureError("timed out while receiving the response") from None
    body.seek(0)


def _write_exchange(writer: WARCWriter, request: httpx.Request, response: httpx.Response, body: IO[bytes]) -> None:
    url = str(request.url)
    target = request.url.raw_path.decode("ascii", "replace")
    req_headers = StatusAndHeaders(f"GET {target} HTTP/1.1", list(request.headers.multi_items()),
                                   is_http_request=True)
    # The body was stored after transfer decoding, so the chunked framing header no longer applies.
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() != "transfer-encoding"]
    resp_headers = StatusAndHeaders(f"{response.status_code} {response.reason_phrase}", headers,
                                    protocol=response.http_version or "HTTP/1.1")
    resp = writer.create_warc_record(url, "response", payload=body, http_headers=resp_headers)
    req = writer.create_warc_record(url, "request", payload=None, http_headers=req_headers,
                                    warc_headers_dict={"WARC-Concurrent-To": resp.rec_headers.get_header(
                                        "WARC-Record-ID")})
    writer.write_record(resp)
    writer.write_record(req)
