"""One serialiser per record type: the CLI's --json, exports and packages print the same shape."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.conftest import Hague

from hague.records import grade


def test_statements_reports_and_incidents_look_the_same_everywhere(seeded_cli: Hague, tmp_path: Path) -> None:
    hague = seeded_cli
    out = tmp_path / "p.zip"
    hague("package", "create", "--recipient", "Commission", "--out", str(out))
    with zipfile.ZipFile(out) as z:
        members = {name.split("/", 1)[1]: z.read(name) for name in z.namelist()}
    for kind in ("statements", "reports", "incidents"):
        cli = hague.json(kind)
        exported = json.loads(hague("export", kind).stdout)
        packaged = json.loads(members[f"data/findings/{kind}.json"])
        assert cli and cli == exported, kind  # nobody is protected: the export equals the workspace's own view
        assert [set(r) for r in packaged] == [set(r) for r in cli], kind
        assert all(r["machine_output"] is True for r in cli)


def test_a_grade_is_written_the_same_way_for_every_source() -> None:
    assert (grade("B", "2"), grade("B", None), grade(None, None)) == ("B2", "B?", None)
