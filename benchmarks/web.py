"""Load on the web workspace: 50 simulated team members browsing and searching a case of 20,000 generated
documents for 60 s (locust, on 127.0.0.1), with p50/p95/p99 per page and the errors.

Run: .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/web.py [--docs 20000] [--users 50]
     [--seconds 60] [--workdir DIR]
A quick check that it still works (minutes, not a measurement): --docs 200 --users 5 --seconds 10

The workspace is built once through the real commands (`hague add` reads, links and clusters everything;
this takes a while) and kept in --workdir for later runs. The server is `hague serve` in its own process;
locust runs in another. The baseline in the same run is the sign-in page, which touches no case data: the
gap between it and a page is what that page's queries cost under the same load.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "benchmark password 1"
OUTLETS = [f"{w} {k}" for w in ("Kyiv", "Northern", "Free", "Daily", "Coastal", "Eastern", "Global", "River")
           for k in ("Herald", "Wire", "Post", "Observer")]
CITIES = ["Kharkiv", "Mariupol", "Chernihiv", "Sumy", "Kherson", "Dnipro", "Aleppo", "Idlib", "Homs", "Gaza",
          "Khartoum", "Irpin", "Bucha", "Bakhmut", "Kyiv", "Odesa", "Mykolaiv"]
TARGETS = ["hospital", "school", "market", "apartment block", "water station", "bridge", "power plant",
           "railway station", "shelter", "bakery"]
WEAPONS = ["artillery", "missiles", "cluster munitions", "rockets", "drones", "air strikes"]
PEOPLE = [("Olena Kovalenko", "the regional governor"), ("Mark Ellison", "a spokesperson for the State "
          "Department"), ("Amina Yusuf", "the health minister"), ("Pavel Orlov", "a defence ministry spokesman"),
          ("Sara Lind", "the head of the UN monitoring mission"), ("Tomas Berg", "the foreign minister"),
          ("Nadia Haddad", "a local doctor"), ("Igor Melnyk", "the city's mayor")]
QUOTES = ["This was a deliberate attack on civilians and it must be investigated",
          "We cannot confirm who was responsible at this stage",
          "Our forces do not target civilian infrastructure",
          "The shelling continued through the night and rescuers could not reach the wounded",
          "We have an internal review underway and have not reached conclusions",
          "Attacks on medical facilities are a violation of international humanitarian law"]


def make_documents(folder: Path, n: int, seed: int = 7) -> None:
    """``n`` short news articles with sidecars: a strike in a city, a statement or two, sometimes a paragraph
    copied from an earlier article (so reuse, incidents and independent-source counts have work to do)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    earlier: list[str] = []
    for i in range(n):
        day = 1 + rng.randrange(700)
        year, doy = 2022 + day // 365, day % 365
        month, mday = 1 + doy // 31 % 12, 1 + doy % 28
        published = f"{year}-{month:02d}-{mday:02d}"
        city, target, weapon = rng.choice(CITIES), rng.choice(TARGETS), rng.choice(WEAPONS)
        killed, injured = rng.randint(0, 30), rng.randint(0, 80)
        (who, role), (who2, role2) = rng.sample(PEOPLE, 2)
        paras = [f"A {target} in {city} was hit by {weapon} on Monday, killing {killed} civilians and injuring "
                 f"{injured}, according to local officials.",
                 f"\"{rng.choice(QUOTES)},\" {who}, {role}, said on Tuesday.",
                 f"{who2}, {role2}, said the reports were being examined. \"{rng.choice(QUOTES)},\" {who2} said."]
        if earlier and rng.random() < 0.3:
            paras.insert(1, rng.choice(earlier))
        earlier.append(paras[0])
        earlier = earlier[-200:]
        title = f"{target.capitalize()} in {city} hit by {weapon}"
        # folders of 100 articles: `hague add` looks for sidecars per folder (one folder of 40,000 files is slow)
        sub = folder / f"{i // 100:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"d{i:05d}.txt").write_text(title + "\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
        (sub / f"d{i:05d}.json").write_text(json.dumps({"id": f"d{i:05d}", "outlet": rng.choice(OUTLETS),
                                                           "published": published, "title": title}))


def hague(home: Path, *args: str, stdin: str | None = None) -> str:
    env = {**os.environ, "HAGUE_HOME": str(home), "HAGUE_COLLECTOR": "benchmark"}
    done = subprocess.run([sys.executable, "-m", "hague.cli", *args], env=env, input=stdin, text=True,
                          capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"hague {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def build(workdir: Path, n: int, accounts: int) -> Path:
    home = workdir / "ws"
    ready = workdir / f"ready-{n}"
    if ready.exists():
        return home
    docs = workdir / "docs"
    t = time.perf_counter()
    make_documents(docs, n)
    hague(home, "init")
    print(f"adding and analysing {n} documents (once; kept in {workdir}) ...", flush=True)
    hague(home, "add", str(docs))
    print(f"  built in {time.perf_counter() - t:.0f} s", flush=True)
    hague(home, "user", "add", "lead", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    hague(home, "case", "create", "Bench", "--id", "bench", "--lead", "lead")
    hague(home, "case", "add", "bench", "--all")
    for i in range(accounts):
        hague(home, "user", "add", f"member{i}", "--password-stdin", stdin=PASSWORD + "\n")
        hague(home, "case", "member", "bench", f"member{i}", "viewer")
    ready.touch()
    return home


def sessions_for(home: Path, accounts: int, users: int) -> list[str]:
    """A signed-in session per simulated user, made beforehand: 50 Argon2 checks at once would take both cores
    for most of the minute and measure the password hash, not the pages (sign-in is timed once, apart)."""
    from hague.team import accounts as people
    from hague.team import sessions
    from hague.workspace import open_workspace

    os.environ["HAGUE_HOME"] = str(home)
    ws = open_workspace()
    cookies = []
    with ws.write() as s:
        for i in range(users):
            cookie, _ = sessions.start(s, people.get(s, f"member{i % accounts}"), pending_totp=False,
                                       second_factor=False, client="benchmark")
            cookies.append(cookie)
    return cookies


def sign_in_time(url: str) -> float:
    """One sign-in through the form (Argon2 verification included), on the otherwise idle server."""
    client = httpx.Client(base_url=url)
    token = client.get("/login").cookies["hague_form"]
    t = time.perf_counter()
    client.post("/login", data={"name": "member0", "password": PASSWORD, "form_token": token})
    return time.perf_counter() - t


def sample(home: Path, workdir: Path, accounts: int, users: int) -> Path:
    """Ids the simulated users pick from, read from the workspace, and their sessions."""
    import sqlite3

    db = sqlite3.connect(home / "hague.db")
    data = {
        "case": "bench", "sessions": sessions_for(home, accounts, users),
        "documents": [r[0] for r in db.execute("SELECT id FROM documents ORDER BY random() LIMIT 2000")],
        "incidents": [r[0] for r in db.execute("SELECT id FROM incidents ORDER BY random() LIMIT 2000")],
        "speakers": [r[0] for r in db.execute("SELECT speaker FROM statements WHERE speaker IS NOT NULL "
                                              "GROUP BY speaker ORDER BY count(*) DESC LIMIT 20")],
        "words": [c.lower() for c in CITIES] + [w for w in TARGETS if " " not in w] + ["shelling", "confirm",
                                                                                       "civilians", "hospital"],
    }
    path = workdir / "sample.json"
    path.write_text(json.dumps(data))
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20000, metavar="N",
                    help="generated documents in the case (default 20000; e.g. 200 for a quick check)")
    ap.add_argument("--users", type=int, default=50, metavar="N",
                    help="simulated team members browsing and searching at once (default 50)")
    ap.add_argument("--seconds", type=int, default=60, metavar="S", help="length of the locust run (default 60)")
    ap.add_argument("--accounts", type=int, default=10, metavar="N",
                    help="accounts the simulated users sign in as, members of the case (default 10)")
    ap.add_argument("--workers", type=int, default=2, metavar="N",
                    help="`hague serve --workers` server processes (default 2, one per core)")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "hague-web-bench", metavar="DIR",
                    help="where the workspace is built once and kept for later runs with the same --docs (give "
                         "another --docs its own --workdir), and "
                         "where locust writes its CSV and the server its log (default: hague-web-bench in the "
                         "system's temporary folder)")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    home = build(args.workdir, args.docs, args.accounts)
    sample_path = sample(home, args.workdir, args.accounts, args.users)
    port = free_port()
    env = {**os.environ, "HAGUE_HOME": str(home)}
    server_log = (args.workdir / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "hague.cli", "serve", "--port", str(port), "--workers",
                               str(args.workers), "--no-worker"],  # nothing is captured during the run
                              env=env, stdout=server_log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/login", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        signing_in = sign_in_time(url)
        out = args.workdir / "locust"
        load = os.getloadavg()[0]
        subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "web_locust.py"),
                        "--headless", "-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s",
                        "--host", url, "--csv", str(out), "--only-summary", "--loglevel", "WARNING"],
                       env={**os.environ, "HAGUE_BENCH_SAMPLE": str(sample_path)}, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(10)
        server_log.close()
    report(out.with_name(out.name + "_stats.csv"), args, load, load_after, signing_in)
    map_cpu(home)


def map_cpu(home: Path, repeat: int = 20) -> None:
    """CPU per map-points call in this process: built from the database each time (the baseline) against the
    memo kept until the ledger moves (what the server does). CPU time, so the machine's load matters less."""
    import dataclasses

    from hague.config import load_config
    from hague.services import browse
    from hague.team.scope import Scope
    from hague.workspace import open_workspace

    ws = open_workspace(dataclasses.replace(load_config(), home=home))
    scope = Scope(1)  # the benchmark's one case, as its members see it

    def cpu_ms(call: Any) -> float:
        start = time.process_time()
        for _ in range(repeat):
            call()
        return (time.process_time() - start) / repeat * 1000

    rebuilt = cpu_ms(lambda: (browse._CURRENT.clear(), browse.map_points(ws, scope)))
    kept = cpu_ms(lambda: browse.map_points(ws, scope))
    print(f"\nmap points in process ({len(browse.map_points(ws, scope))} points, CPU per call): "
          f"built each time {rebuilt:.1f} ms, kept until the ledger moves {kept:.1f} ms")


TARGET_MS = {"search": 500}  # every other page: 300 ms at p95


def report(stats: Path, args: argparse.Namespace, load: float, load_after: float, signing_in: float) -> None:
    rows = list(csv.DictReader(stats.open()))
    print(f"\none sign-in through the form before the run (Argon2id): {signing_in * 1000:.0f} ms")
    print(f"\n{args.users} users, {args.seconds} s, {args.docs:,} documents, {args.workers} server process(es); "
          f"load average {load:.1f} before, "
          f"{load_after:.1f} after (2 cores, shared)\n")
    print("| page | requests | errors | p50 ms | p95 ms | p99 ms | target p95 |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        name = r["Name"]
        target = "" if name == "Aggregated" or "baseline" in name else f"<= {TARGET_MS.get(name, 300)} ms"
        print(f"| {name} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | {r['95%']} | {r['99%']} | "
              f"{target} |")


if __name__ == "__main__":
    main()
