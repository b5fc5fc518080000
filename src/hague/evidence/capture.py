"""Fetch a URL and preserve the exchange as a WARC file (request and response records per hop).

Redirects are followed by hand so every hop is recorded and a loop is named as such;
the body is streamed raw (still content-encoded) with the size limit enforced while it
arrives, so the WARC holds what the server actually sent. The fetch runs in a child
process held to the overall deadline (:func:`~hague.evidence.budget.isolated`): a server
that drips its headers or body, or lies about its length, costs at most that, and a body
arriving slower than the minimum rate is cut off sooner.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from hague import __version__
from hague.evidence.budget import Budget, OverBudget, isolated
from hague.evidence.store import TooLarge

RATE_WINDOW = 5.0  # seconds over which a body must average the minimum rate


class CaptureError(Exception):
    """The URL could not be captured; the message says why."""


@dataclass(frozen=True)
class Capture:
    warc_path: Path
    url: str
    final_url: str
    status: int
    hops: int


@dataclass(frozen=True)
class FetchLimits:
    timeout: float  # seconds to connect, or between two reads
    max_redirects: int
    limit: int  # largest body accepted, in bytes (as sent)
    min_rate: int  # bytes per second a body must average over RATE_WINDOW


USER_AGENT = f"Hague/{__version__} (evidence capture)"


def capture_url(url: str, workdir: Path, limits: FetchLimits, budget: Budget) -> Capture:
    """Fetch ``url`` into a new gzipped WARC file under ``workdir``; the caller stages and removes it.

    The whole fetch (every hop, headers and bodies) ends within ``budget.seconds``.
    """
    fd, name = tempfile.mkstemp(prefix=f"{os.getpid()}-capture-", suffix=".warc.gz", dir=workdir)
    os.close(fd)
    path = Path(name)
    try:
        return isolated(_capture, url, path, limits, budget=budget, what="the fetch")
    except OverBudget as exc:
        path.unlink(missing_ok=True)
        raise CaptureError(f"gave up: {exc} (HAGUE_FETCH_DEADLINE)") from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _capture(url: str, path: Path, limits: FetchLimits, budget: Budget) -> Capture:
    with path.open("wb") as out, httpx.Client(timeout=limits.timeout, headers={"User-Agent": USER_AGENT}) as client:
        writer = WARCWriter(out, gzip=True)
        status, final, hops = _fetch(client, writer, url, limits, budget)
    return Capture(path, url, final, status, hops)


def _fetch(client: httpx.Client, writer: WARCWriter, url: str, limits: FetchLimits,
           budget: Budget) -> tuple[int, str, int]:
    seen: set[str] = set()
    request = client.build_request("GET", url)
    for hop in range(limits.max_redirects + 1):
        key = str(request.url)
        if key in seen:
            raise CaptureError(f"redirect loop at {key}")
        seen.add(key)
        budget.check("the fetch")
        try:
            response = client.send(request, stream=True, follow_redirects=False)
        except httpx.TimeoutException:
            raise CaptureError(f"timed out after {limits.timeout:g}s") from None
        except httpx.HTTPError as exc:
            raise CaptureError(f"could not fetch: {exc}") from None
        try:
            with tempfile.SpooledTemporaryFile(max_size=8 << 20) as body:
                _read_body(response, body, limits, budget)
                _write_exchange(writer, request, response, body)
        finally:
            response.close()
        if response.is_redirect and response.next_request is not None:
            request = response.next_request
            continue
        if response.status_code >= 400:
            raise CaptureError(f"HTTP {response.status_code} {response.reason_phrase}")
        return response.status_code, key, hop + 1
    raise CaptureError(f"more than {limits.max_redirects} redirects (a redirect loop?)")


def _read_body(response: httpx.Response, body: IO[bytes], limits: FetchLimits, budget: Budget) -> None:
    size = 0
    window_start, window_size = time.monotonic(), 0
    try:
        for chunk in response.iter_raw():
            size += len(chunk)
            if size > limits.limit:
                raise TooLarge(f"response larger than the limit of {limits.limit:,} bytes")
            body.write(chunk)
            budget.check("the fetch")
            now = time.monotonic()
            if now - window_start >= RATE_WINDOW:
                rate = (size - window_size) / (now - window_start)
                if rate < limits.min_rate:
                    raise CaptureError(f"the server sent {size - window_size:,} bytes in {now - window_start:.0f} s, "
                                       f"slower than {limits.min_rate:,} bytes/s (HAGUE_FETCH_MIN_RATE): cut off "
                                       f"after {size:,} bytes")
                window_start, window_size = now, size
    except httpx.TimeoutException:
        raise CaptureError("timed out while receiving the response") from None
    except httpx.HTTPError as exc:  # e.g. the server closed before sending the length it announced
        raise CaptureError(f"the server broke off the response after {size:,} bytes: {exc}") from None
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
