"""The durable queue: captures from the browser run by a worker; one failure never stops the rest, a job a
stopped worker left half-done is taken up again where it was, oversized uploads are refused by name."""

from __future__ import annotations

import io
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select
from tests.conftest import EXAMPLES, Team, hague_process, workspace_env

from hague import jobs
from hague.model import CaseItem, Document, Job, JobInput
from hague.services import capture
from hague.services.capture import Upload
from hague.timestamps import stamp

PAGE = b"""<html><head><title>Shelling of the market</title></head><body><article><p>The governor said on
Monday that the central market in Lakeside was shelled at dawn, killing four civilians and wounding nine.</p>
<p>Witnesses described several explosions near the stalls.</p></article></body></html>"""


@pytest.fixture()
def site() -> Iterator[str]:
    """A web site on 127.0.0.1: /article is a page, everything else 404."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/article":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PAGE)))
                self.end_headers()
                self.wfile.write(PAGE)
            else:
                self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _files() -> list[Upload]:
    good = sorted(EXAMPLES.glob("*.txt"))[0]
    return [Upload(good.name, io.BytesIO(good.read_bytes())), Upload("empty.txt", io.BytesIO(b""))]


def test_a_capture_preserves_what_it_can_names_what_failed_and_reads_the_rest(team: Team, site: str) -> None:
    analyst = team.member("analyst")
    new = io.BytesIO(b"Officials said the bridge at Riverton was destroyed on Sunday by shelling.")
    job = capture.enqueue(team.ws, analyst, [*_files(), Upload("bridge.txt", new)],
                          [f"{site}/article", f"{site}/missing"])
    assert job.state == "queued" and [i.state for i in job.inputs] == ["waiting"] * 5
    assert capture.run_worker(team.ws, once=True) == 1
    done = capture.get_job(team.ws, analyst, job.id)
    states = {i.label: (i.state, i.error) for i in done.inputs}
    assert done.state == "partial" and done.counts == {"waiting": 0, "done": 3, "failed": 2}
    assert states["empty.txt"][0] == "failed" and "empty" in states["empty.txt"][1]
    assert states[f"{site}/missing"][0] == "failed" and "404" in states[f"{site}/missing"][1]
    assert states[f"{site}/article"][0] == "done" and states["bridge.txt"][0] == "done"
    with team.ws.read() as s:
        in_case = set(s.scalars(select(CaseItem.item_sha256).where(CaseItem.case_id == analyst.case_id)))
    assert {i.sha256 for i in done.inputs if i.sha256} <= in_case
    with team.ws.read() as s:
        bridge = s.scalars(select(Document.id).where(Document.item_sha256 == states_sha(done, "bridge.txt"))).one()
    assert any(r.document_id == bridge for r in team.reports())  # read after it was preserved
    assert not (jobs.spool_dir(team.ws) / str(job.id) / "0002-bridge.txt").exists()  # spool emptied as it went


def states_sha(job: capture.JobRecord, label: str) -> str | None:
    return next(i.sha256 for i in job.inputs if i.label == label)


def test_a_job_left_half_done_by_a_stopped_worker_is_taken_up_where_it_was(team: Team) -> None:
    analyst = team.member("analyst")
    job = capture.enqueue(team.ws, analyst, _files())
    assert jobs.claim(team.ws, "first-worker") == job.id
    with team.ws.read() as s:
        first = s.scalars(select(JobInput).where(JobInput.job_id == job.id).order_by(JobInput.position)).first()
    jobs._capture_one(team.ws, first, jobs.Metadata(), "analyst", analyst.case_id)  # then the worker dies
    assert jobs.claim(team.ws, "second-worker") is None  # its lease still holds
    with team.ws.write() as s:
        s.get(Job, job.id).lease_until = stamp(datetime.now(UTC) - timedelta(seconds=1))
    assert capture.run_worker(team.ws, once=True) == 1
    done = capture.get_job(team.ws, analyst, job.id)
    assert done.attempts == 2 and [i.state for i in done.inputs] == ["done", "failed"]
    assert done.inputs[0].finished_at == capture.get_job(team.ws, analyst, job.id).inputs[0].finished_at


def test_an_upload_over_the_limit_is_refused_by_name_and_the_others_go_on(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    small = replace(team.ws, config=replace(team.ws.config, max_item_bytes=100))
    job = capture.enqueue(small, team.member("analyst"), [Upload("big.txt", io.BytesIO(b"x" * 1000)),
                                                        Upload("tiny.txt", io.BytesIO(b"The mayor spoke."))])
    assert [(i.label, i.state) for i in job.inputs] == [("big.txt", "failed"), ("tiny.txt", "waiting")]
    assert "larger than the limit of 100 bytes" in job.inputs[0].error
    with pytest.raises(Exception, match="choose files or paste URLs"):
        capture.enqueue(team.ws, team.member("analyst"))
    with pytest.raises(Exception, match="viewer is a viewer"):
        capture.enqueue(team.ws, team.member("viewer"), [], ["https://example.org/"])


def test_hague_worker_runs_the_queue_as_its_own_process(team: Team) -> None:
    job = capture.enqueue(team.ws, team.member("analyst"), _files()[:1])
    proc = hague_process("worker", "--once", env=workspace_env(team.ws.config.home), stdout=subprocess.PIPE,
                         text=True)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0 and "1 job(s) run" in out
    assert capture.get_job(team.ws, team.member("analyst"), job.id).state == "done"
