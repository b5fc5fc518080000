"""The resident set of every process of a command's tree, sampled while it runs.

``scale.py`` reports one peak per command (the largest resident set of any process of its tree), which does
not say which process held it or when: the main process late in the run, or a reading worker forked from it.
A :class:`Trace` samples ``/proc`` every few seconds and keeps, for each process, its resident set and its
proportional set (``Pss``: a page shared by n processes counts 1/n to each, so a forked worker is not charged
for its parent's pages), written as a table and summed up per process.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended while we looked
            continue
        ppid = int(text.rsplit(")", 1)[1].split()[1])
        out.setdefault(ppid, []).append(int(stat.parent.name))
    return out


def tree(root: int) -> list[int]:
    """``root`` and all its descendants now."""
    children, out, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _field(path: Path, name: str) -> int | None:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(name):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class Trace:
    """Samples ``root``'s process tree every ``every`` seconds into ``out`` (tab-separated: seconds since the
    start, pid, parent pid, RSS MB, PSS MB, the command's last words) until :meth:`stop`."""

    def __init__(self, root: int, out: Path, every: float = 5.0) -> None:
        self.root, self.out, self.every = root, out, every
        self.peaks: dict[int, tuple[float, float, float, str]] = {}  # pid -> (RSS MB, PSS MB, at, command)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = time.monotonic()
        self._thread.start()

    def _run(self) -> None:
        with self.out.open("w") as f:
            f.write("seconds\tpid\tppid\trss_mb\tpss_mb\tcommand\n")
            while not self._done.wait(self.every):
                at = time.monotonic() - self._started
                for pid in tree(self.root):
                    proc = Path(f"/proc/{pid}")
                    rss, pss = _field(proc / "status", "VmRSS:"), _field(proc / "smaps_rollup", "Pss:")
                    ppid = _field(proc / "status", "PPid:")
                    try:
                        cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    except OSError:
                        continue
                    if rss is None or pss is None:
                        continue
                    words = "worker (fork server)" if "forkserver" in cmd else " ".join(cmd.split()[-3:])[:60]
                    f.write(f"{at:.0f}\t{pid}\t{ppid}\t{rss / 1024:.0f}\t{pss / 1024:.0f}\t{words}\n")
                    best = self.peaks.get(pid)
                    if best is None or rss / 1024 > best[0]:
                        self.peaks[pid] = (rss / 1024, pss / 1024, at, words)
                f.flush()

    def stop(self) -> str:
        """Stop sampling; a line per process that reached 100 MB: its largest RSS, the PSS then, and when."""
        self._done.set()
        self._thread.join()
        return "\n".join(f"    pid {pid}: {rss:.0f} MB RSS ({pss:.0f} MB PSS) at {at:.0f} s: {cmd}"
                         for pid, (rss, pss, at, cmd) in sorted(self.peaks.items()) if rss >= 100)
