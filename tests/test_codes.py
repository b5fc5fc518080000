import json

from tests.conftest import SEED_GOLD

from hague.codes import codes, target_groups


def test_target_groups():
    assert target_groups(["hospital", "clinic"]) == {"medical"}
    assert target_groups(["kindergarten", "orphanage"]) == {"education_childcare", "charitable_social"}
    assert target_groups(["not_a_code"]) == {"not_a_code"}
    assert target_groups([]) == set()


def test_every_code_the_seed_gold_uses_is_in_the_table():
    table = codes()
    grouped = {c for members in table["target_groups"].values() for c in members}
    for path in SEED_GOLD.glob("0*.json"):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for s in gold["statements"]:
            assert s["stance"] in table["stances"] and s["mode"] in table["modes"]
        for r in gold["reports"]:
            assert r["event"] in table["events"] and r["status"] in table["statuses"]
            assert set(r["targets"]) <= grouped and set(r["weapons"]) <= set(table["weapons"])
