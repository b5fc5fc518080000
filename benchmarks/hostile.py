"""Time and peak memory of every hostile input of issue 10's table, added with default settings through the real
`hague add` command, beside a baseline in the same run (one plain article).

Memory is the whole process tree (hague, its fork server, the reader and fetch children), summed, sampled every
20 ms from /proc (Linux). The servers are real HTTP servers on 127.0.0.1 (the red-team tests' handler, at the
issue's scale: a body dripping one byte every 2 s, a gzip bomb of about 1 MB on the wire).

Run: .venv/bin/python benchmarks/hostile.py [--workdir DIR]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.evidence.readers.samples import SENTENCE, make_pdf, make_warc  # noqa: E402
from tests.security.conftest import Hostile  # noqa: E402

GZIP_BOMB = 1 << 30  # bytes the HTTP gzip bomb inflates to (about 1 MB sent)
WARC_BOMB = 300 << 20  # bytes a .warc.gz response body inflates to
PDF_STREAMS = (8, 70_000_000)  # eight streams of 70 MB (the file is about 570 KB)


def gzip_spaces(size: int) -> bytes:
    """``size`` spaces as a gzip stream, compressed a chunk at a time (never held inflated)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    out, chunk = io.BytesIO(), b" " * (1 << 20)
    for _ in range(size // len(chunk)):
        out.write(packer.compress(chunk))
    out.write(packer.flush())
    return out.getvalue()


class Slow(Hostile):
    """The tests' hostile server at the issue's scale."""

    drip_seconds = 2.0
    bomb = b""

    def _route(self) -> None:
        if self.path == "/bomb":
            self._send(self.bomb, {"Content-Encoding": "gzip"})
        else:
            super()._route()


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and every process descended from it."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    family, grew = {root}, True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in family} - family
        family |= more
        grew = bool(more)
    total = 0
    for pid in family:
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(home: Path, *args: str) -> tuple[float, int, int, str]:
    """(seconds, peak tree RSS, exit code, the command's last stderr line) of ``hague add ARGS``."""
    env = {**os.environ, "HAGUE_HOME": str(home)}
    subprocess.run([sys.executable, "-m", "hague.cli", "init"], env=env, check=True, capture_output=True)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "hague.cli", "add", *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    lines = [line for line in proc.stderr.read().splitlines() if line.strip()] if proc.stderr else []
    return seconds, peak, proc.returncode, (lines[0] if lines else "")[:110]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hague-hostile-", dir=args.workdir))
    Slow.bomb = gzip_spaces(GZIP_BOMB)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        files = work / "files"
        files.mkdir()
        (files / "plain.txt").write_text(SENTENCE)
        nested = files / "nested"
        nested.mkdir()
        (nested / "nested.json").write_text("[" * 100_000 + "]" * 100_000)
        for i in range(14):
            (nested / f"report-{i:02d}.txt").write_text(f"{SENTENCE} Report number {i}.")
        # The record itself inflates (a file of about 300 KB), or its body is gzip-encoded too (about 1 KB).
        (files / "bomb.warc.gz").write_bytes(make_warc(b" " * WARC_BOMB, "https://example.org/", compress=True))
        (files / "nested.warc.gz").write_bytes(make_warc(gzip_spaces(WARC_BOMB), "https://example.org/",
                                                         headers=[("Content-Encoding", "gzip")], compress=True))
        (files / "bomb.pdf").write_bytes(make_pdf(SENTENCE, [PDF_STREAMS[1]] * PDF_STREAMS[0]))
        (files / "sentence.txt").write_text(("the minister said, adding that forces shelled the city and " * 900)
                                            [:50_000])
        (files / "utf16.txt").write_bytes(f"{SENTENCE}\n".encode("utf-16") * 100)
        cases = [
            ("baseline: one plain article", [str(files / "plain.txt")]),
            ("folder with a 200 KB nested JSON + 14 files", [str(nested)]),
            ("server lying about Content-Length, + a good URL", [f"{url}/liar", f"{url}/good"]),
            ("slow-drip server (1 byte / 2 s)", [f"{url}/drip"]),
            (f"gzip bomb over HTTP ({len(Slow.bomb) / 1e6:.1f} MB sent)", [f"{url}/bomb"]),
            (f".warc.gz bomb on disk ({(files / 'bomb.warc.gz').stat().st_size / 1e3:.0f} KB)",
             [str(files / "bomb.warc.gz")]),
            (f".warc.gz bomb, gzip-encoded body ({(files / 'nested.warc.gz').stat().st_size / 1e3:.0f} KB)",
             [str(files / "nested.warc.gz")]),
            (f"PDF with 8 x 70 MB streams ({(files / 'bomb.pdf').stat().st_size / 1e3:.0f} KB)",
             [str(files / "bomb.pdf")]),
            ("50 KB sentence without full stops (read and analysed)", [str(files / "sentence.txt")]),
            ("UTF-16 text", [str(files / "utf16.txt")]),
        ]
        print("| input | seconds | peak memory (MB, process tree) | exit | first line on stderr |")
        print("|---|---|---|---|---|")
        for n, (label, inputs) in enumerate(cases):
            extra = [] if "analysed" in label else ["--no-analyze"]
            seconds, peak, code, line = measure(work / f"ws{n}", *extra, *inputs)
            print(f"| {label} | {seconds:.1f} | {peak / 1e6:.0f} | {code} | {line.replace('|', '/')} |", flush=True)
    finally:
        httpd.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
