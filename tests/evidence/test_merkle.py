import os

import pytest

from hague.evidence import merkle


def _mth(leaves: list[bytes]) -> bytes:
    """RFC 6962's recursive definition, as the reference."""
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return merkle.node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def test_root_matches_rfc6962_test_vector() -> None:
    # The eight leaves of the certificate-transparency reference tests and their published root.
    data = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
    leaves = [merkle.leaf_hash(bytes.fromhex(d)) for d in data]
    assert merkle.root(leaves).hex() == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 13, 31, 64])
def test_root_and_prefix_roots_match_recursive_definition(n: int) -> None:
    leaves = [merkle.leaf_hash(os.urandom(8)) for _ in range(n)]
    assert merkle.root(leaves) == _mth(leaves)
    prefixes = merkle.prefix_roots(leaves, set(range(1, n + 1)))
    assert all(prefixes[m] == _mth(leaves[:m]) for m in range(1, n + 1))


@pytest.mark.parametrize("n", [1, 2, 7, 16, 21])
def test_every_inclusion_proof_verifies_and_a_wrong_leaf_fails(n: int) -> None:
    leaves = [merkle.leaf_hash(os.urandom(8)) for _ in range(n)]
    root = merkle.root(leaves)
    for i in range(n):
        proof = merkle.inclusion_proof(i, leaves)
        assert merkle.verify_inclusion(leaves[i], i, n, proof, root)
        assert not merkle.verify_inclusion(merkle.leaf_hash(b"forged"), i, n, proof, root)


@pytest.mark.parametrize("n", [2, 7, 16, 21])
def test_consistency_proofs_verify_and_detect_a_rewritten_history(n: int) -> None:
    leaves = [merkle.leaf_hash(os.urandom(8)) for _ in range(n)]
    for m in range(1, n + 1):
        proof = merkle.consistency_proof(m, leaves)
        assert merkle.verify_consistency(m, n, proof, merkle.root(leaves[:m]), merkle.root(leaves))
    rewritten = [merkle.leaf_hash(b"x")] + leaves[1:]
    proof = merkle.consistency_proof(1, rewritten)
    assert not merkle.verify_consistency(1, n, proof, merkle.root(leaves[:1]), merkle.root(rewritten))


def test_verifiers_reject_empty_and_short_hashes() -> None:
    leaves = [merkle.leaf_hash(bytes([i])) for i in range(5)]
    root, proof = merkle.root(leaves), merkle.inclusion_proof(2, leaves)
    assert merkle.verify_inclusion(leaves[2], 2, 5, proof, root)
    assert not merkle.verify_inclusion(b"", 0, 1, [], b"")  # an empty leaf "is" an empty root
    assert not merkle.verify_inclusion(leaves[2], 2, 5, [*proof[:-1], b""], root)
    assert not merkle.verify_inclusion(leaves[2][:16], 2, 5, proof, root)
    old = merkle.root(leaves[:3])
    cons = merkle.consistency_proof(3, leaves)
    assert merkle.verify_consistency(3, 5, cons, old, root)
    assert not merkle.verify_consistency(3, 5, [*cons[:-1], b""], old, root)
    assert not merkle.verify_consistency(5, 5, [], b"", b"")
