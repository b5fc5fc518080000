from __future__ import annotations

import csv
import io
import json

from tests.conftest import run

from hague.assessments import review_state
from hague.model import IncidentRow
from hague.sharing.export import find_point, to_geojson
from hague.workspace import Workspace


def test_reports_as_csv_json_and_geojson(seeded_ws: Workspace) -> None:
    rows = json.loads(run("export", "reports", "--format", "json").stdout)
    assert rows and all("evidence" in r and "place" in r for r in rows)
    table = list(csv.DictReader(io.StringIO(run("export", "reports", "--format", "csv").stdout)))
    assert len(table) == len(rows) and json.loads(table[0]["place"]) == rows[0]["place"]
    geo = json.loads(run("export", "reports", "--format", "geojson").stdout)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == len(rows)
    for feature, row in zip(geo["features"], rows, strict=True):
        coords = row["coordinates"]
        if coords:
            assert feature["geometry"]["coordinates"] == [coords[1], coords[0]], "GeoJSON is lon, lat"
        else:
            assert feature["geometry"] is None


def test_incident_geojson_and_statement_refusal(seeded_ws: Workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with seeded_ws.write() as s:
        s.add(IncidentRow(id="test-strike", status="reported", independent_count=2,
                          data={"place": {"value": "Kharkiv", "coordinates": [49.99, 36.23]}}))
    out = tmp_path / "incidents.geojson"
    run("export", "incidents", "--format", "geojson", "--out", str(out))
    features = {f["id"]: f for f in json.loads(out.read_text())["features"]}
    assert features["test-strike"]["geometry"] == {"type": "Point", "coordinates": [36.23, 49.99]}
    # An incident without a review row has the one review state every surface reports for it.
    assert features["test-strike"]["properties"]["review_state"] == "provisions_suggested"
    with seeded_ws.read() as s:
        assert review_state(s, "test-strike") == "provisions_suggested"
    result = run("export", "statements", "--format", "geojson", code=2)
    assert "statements have no place" in result.output
    assert "cannot export 'people'" in run("export", "people", code=2).output


def test_exports_show_protected_persons_by_pseudonym(seeded_ws: Workspace) -> None:
    before = run("export", "statements").stdout
    assert "Kravets" in before
    alias = json.loads(run("protect", "add", "Olena Kravets", "--alias", "Kravets", "--reason", "test",
                           "--json").stdout)["pseudonym"]
    after = run("export", "statements").stdout
    assert "Kravets" not in after and alias in after


def test_find_point_forms() -> None:
    assert find_point({"a": [{"lat": 50.4, "lon": 30.5}]}) == (50.4, 30.5)
    assert find_point({"coordinates": [200, 1]}) is None
    assert to_geojson([{"id": 1}])["features"][0]["geometry"] is None


def test_streamed_json_and_geojson_are_laid_out_as_one_dump(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import io
    import json

    from hague.cli.common import emit_json_array
    from hague.sharing.export import render

    rows = [{"id": "a", "fields": {"place": {"value": "Kharkiv", "coordinates": [50.0, 36.2]}}, "n": [1, 2]},
            {"id": "b", "fields": {}, "n": []}]
    assert render(rows, "reports", "json") == json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    assert render(rows, "reports", "geojson") == json.dumps(to_geojson(rows), indent=2, ensure_ascii=False) + "\n"
    assert render([], "reports", "json") == "[]\n"
    buf = io.StringIO()
    emit_json_array(iter(rows), buf)
    assert buf.getvalue() == json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def test_an_export_longer_than_one_batch_has_every_record_once_in_order(seeded_ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hague.evidence.pseudonyms import workspace_secret
    from hague.sharing import export
    from hague.sharing.redact import Redactor, persons

    whole = {kind: json.loads(run("export", kind, "--format", "json").stdout)
             for kind in ("incidents", "statements", "reports")}
    monkeypatch.setattr(export, "CHUNK", 2)  # every kind now spans several batches
    with seeded_ws.read() as s:
        redactor = Redactor(persons(s, workspace_secret(seeded_ws.config.home)))
        for kind, rows in whole.items():
            assert len(rows) > 2 * export.CHUNK, kind
            assert list(export.records(s, kind, redactor)) == rows, kind
