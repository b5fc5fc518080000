"""Reading and fingerprinting on a real Dask distributed cluster (``distributed.LocalCluster``, worker processes)
give exactly what the local process pool gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.analysis.test_concurrency import generated
from tests.analysis.test_incremental import _state
from tests.conftest import Hague, use_workspace

distributed = pytest.importorskip("distributed")


def _analyse(hague: Hague, first: Path, second: Path, *args: str) -> None:
    hague("init")
    hague("add", "--no-analyze", str(first))
    hague("analyze", *args)  # a fresh workspace: reading goes to the workers
    hague("add", "--no-analyze", str(second))
    hague("analyze", *args)  # new documents: fingerprinting for the reuse index goes to the workers too


def test_a_dask_cluster_reads_and_fingerprints_as_local_processes_do(tmp_path: Path, monkeypatch) -> None:
    first, second = generated(tmp_path / "first", 30, seed=1), generated(tmp_path / "second", 12, seed=2)
    for path in second.iterdir():  # other names and ids than the first folder's
        path.rename(path.with_name("b" + path.name))
    for path in second.glob("*.json"):
        path.write_text(path.read_text().replace('"id": "g', '"id": "h'))
    hague = Hague()
    use_workspace(monkeypatch, tmp_path / "local")
    _analyse(hague, first, second)
    local = _state(hague, tmp_path / "local")

    use_workspace(monkeypatch, tmp_path / "dask")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        _analyse(hague, first, second, "--scheduler", cluster.scheduler_address)
    assert _state(hague, tmp_path / "dask") == local
    assert local["statements"] and local["links"]
    hague("verify")
