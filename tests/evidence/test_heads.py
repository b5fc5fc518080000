"""Signed tree heads extend the Merkle frontier kept with the previous head (k new entries cost O(k log n), not
a read of the whole ledger); `hague verify` still recomputes every root from the chain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, POSTGRES, sql

from hague.evidence import merkle


@pytest.fixture()
def filled(hague, home: Path):  # type: ignore[no-untyped-def]
    hague("init")
    hague("add", str(EXAMPLES))
    return hague


def _leaves(home: Path) -> list[bytes]:
    return [bytes.fromhex(r[0]) for r in sql(home, "SELECT entry_hash FROM ledger_entries ORDER BY seq")]


def _heads(home: Path) -> list[tuple[int, str, list[str] | None]]:
    rows = sql(home, "SELECT tree_size, root_hash, CAST(frontier AS TEXT) FROM tree_heads ORDER BY id")
    return [(size, root, json.loads(f) if f else None) for size, root, f in rows]


def _one_more_act(hague, n: int) -> None:  # type: ignore[no-untyped-def]
    hague("protect", "add", f"Person {n}", "--reason", "a witness at risk")


def test_every_head_is_the_root_of_the_chain_up_to_its_size(filled, home: Path) -> None:
    for n in range(3):
        _one_more_act(filled, n)
    leaves, heads = _leaves(home), _heads(home)
    assert len(heads) >= 4 and heads[-1][0] == len(leaves)
    for size, root, frontier in heads:
        assert root == merkle.root(leaves[:size]).hex()
        assert frontier is not None and len(frontier) == bin(size).count("1")
        assert merkle.frontier_root([bytes.fromhex(h) for h in frontier]).hex() == root
    filled("verify")


def test_a_head_reads_only_new_entries_and_verify_still_reads_them_all(filled, home: Path) -> None:
    """An old entry rewritten in the database is not re-read by the next head (it extends the stored frontier, so
    it still commits to the original history); `hague verify` recomputes from the chain and names the damage."""
    original = _leaves(home)
    sql(home, "UPDATE ledger_entries SET entry_hash = :h WHERE seq = 2", h="ab" * 32, integrity=False)
    _one_more_act(filled, 1)
    now = _leaves(home)
    size, root, _ = _heads(home)[-1]
    assert size == len(now) > len(original)
    assert root == merkle.root(original + now[len(original):]).hex() != merkle.root(now).hex()
    result = filled("verify", ok=False)
    assert result.exit_code != 0 and "2" in result.output


def test_an_edited_frontier_is_never_built_on(filled, home: Path) -> None:
    """A frontier that does not fold to its head's signed root is ignored: the next head reads every entry."""
    size = _heads(home)[-1][0]
    forged = json.dumps(["cd" * 32] * bin(size).count("1"))
    value = "CAST(:f AS JSON)" if POSTGRES else ":f"
    sql(home, f"UPDATE tree_heads SET frontier = {value} WHERE tree_size = :n", f=forged, n=size)
    _one_more_act(filled, 1)
    leaves = _leaves(home)
    assert _heads(home)[-1][:2] == (len(leaves), merkle.root(leaves).hex())
    filled("verify")


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 8, 21, 64])
def test_a_frontier_extended_in_steps_gives_the_root_of_all_leaves(n: int) -> None:
    leaves = [merkle.leaf_hash(bytes([i % 256, i // 256])) for i in range(n + 5)]
    frontier, size = merkle.extend([], 0, leaves[:n])
    assert size == n and merkle.frontier_root(frontier) == merkle.root(leaves[:n])
    for k in range(n, n + 5):
        frontier, size = merkle.extend(frontier, size, [leaves[k]])
        assert merkle.frontier_root(frontier) == merkle.root(leaves[:k + 1])
    with pytest.raises(ValueError):
        merkle.extend(frontier[:-1], size, [])


@pytest.mark.parametrize("n", [1, 2, 5, 16, 23])
def test_many_inclusion_proofs_in_one_pass_equal_one_at_a_time(n: int) -> None:
    leaves = [merkle.leaf_hash(bytes([i])) for i in range(n)]
    proofs = merkle.inclusion_proofs(range(0, n, 2), leaves)
    assert proofs == {i: merkle.inclusion_proof(i, leaves) for i in range(0, n, 2)}
    with pytest.raises(IndexError):
        merkle.inclusion_proofs([n], leaves)
