"""A throwaway PostgreSQL server for the tests and benchmarks: its own cluster in a temporary folder, reached
only through a Unix socket in that folder (no TCP port, so it never collides with another server).

    python -m tests.pgserver -- COMMAND ARGS...   # start a cluster, run COMMAND with HAGUE_TEST_POSTGRES set, stop

``HAGUE_TEST_POSTGRES`` is the SQLAlchemy URL of the server's ``postgres`` database; tests/conftest.py gives each
test workspace its own database on it. The server binaries are Debian's (``postgresql`` package); `.ci/run`
installs them. ``initdb`` refuses to run as root, so as root the cluster belongs to the ``postgres`` account
the package creates. Durability is switched off (fsync, full-page writes): the data lives for one run.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ENV = "HAGUE_TEST_POSTGRES"


def bin_dir() -> Path:
    """The newest installed PostgreSQL's binaries (Debian keeps them under /usr/lib/postgresql/VERSION/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError("no PostgreSQL server binaries (install Debian's postgresql package)")


class Cluster:
    """``with Cluster() as url:`` a running server; stopped and deleted on exit."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="hague-pg-", dir=root))
        self.data = self.root / "data"
        self.bin = bin_dir()
        self.owner = "postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.owner:
            cmd = ["runuser", "-u", self.owner, "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> str:
        if self.owner:
            entry = pwd.getpwnam(self.owner)
            os.chmod(self.root, 0o755)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = (f"-c listen_addresses='' -k {self.root} -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"), "-w",
                  "start")
        return self.url

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@/postgres?host={quote(str(self.root), safe='/')}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> str:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str]) -> int:
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    with Cluster() as url:
        started = time.perf_counter()
        code = subprocess.run(argv, env={**os.environ, ENV: url}).returncode
        print(f"(PostgreSQL run: {time.perf_counter() - started:.0f} s)", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
