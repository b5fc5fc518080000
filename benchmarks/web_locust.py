"""Simulated team members for benchmarks/web.py (a locustfile): each, in a session of its own, browses and
searches one case with a second or so between clicks. Started by benchmarks/web.py, which passes the case,
the sessions and sample ids through HAGUE_BENCH_SAMPLE (a JSON file)."""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

SAMPLE = json.loads(Path(os.environ["HAGUE_BENCH_SAMPLE"]).read_text(encoding="utf-8"))
CASE = SAMPLE["case"]
SESSIONS = itertools.cycle(SAMPLE["sessions"])


class TeamMember(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.client.cookies.set("hague_session", next(SESSIONS))

    @task(1)
    def baseline(self) -> None:
        self.client.get("/static/app.css", name="static file (baseline)")

    @task(1)
    def overview(self) -> None:
        self.client.get(f"/c/{CASE}", name="case overview")

    @task(3)
    def documents(self) -> None:
        self.client.get(f"/c/{CASE}/documents?page={random.randint(1, 100)}", name="documents list")

    @task(4)
    def document(self) -> None:
        self.client.get(f"/c/{CASE}/documents/{random.choice(SAMPLE['documents'])}", name="document viewer")

    @task(2)
    def statements(self) -> None:
        if random.random() < 0.5:
            self.client.get(f"/c/{CASE}/statements?page={random.randint(1, 50)}", name="statements list")
        else:
            speaker = random.choice(SAMPLE["speakers"])
            self.client.get(f"/c/{CASE}/statements", params={"speaker": speaker}, name="statements list")

    @task(2)
    def incidents(self) -> None:
        self.client.get(f"/c/{CASE}/incidents?page={random.randint(1, 20)}", name="incidents list")

    @task(3)
    def incident(self) -> None:
        self.client.get(f"/c/{CASE}/incidents/{random.choice(SAMPLE['incidents'])}", name="incident page")

    @task(1)
    def map_points(self) -> None:
        self.client.get(f"/c/{CASE}/map/points.json", name="map points")

    @task(2)
    def search(self) -> None:
        words = " ".join(random.sample(SAMPLE["words"], random.randint(1, 2)))
        kind = random.choice(["documents", "statements"])
        self.client.get(f"/c/{CASE}/search", params={"q": words, "kind": kind}, name="search")
