"""Merkle tree hashing, inclusion and consistency proofs as in RFC 6962 (verification as in RFC 9162).

Kept free of any database so a recipient can check proofs with this module alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()
HASH_SIZE = 32


def _split(n: int) -> int:
    """Largest power of two strictly smaller than n (n >= 2)."""
    k = 1
    while k << 1 < n:
        k <<= 1
    return k


def root(leaves: list[bytes]) -> bytes:
    """MTH over leaf hashes, computed bottom-up with a stack (no recursion over large ledgers)."""
    return frontier_root(extend([], 0, leaves)[0])


def frontier_sizes(size: int) -> list[int]:
    """Sizes of the perfect subtrees a tree of ``size`` leaves is made of, largest (leftmost) first."""
    return [1 << b for b in range(size.bit_length() - 1, -1, -1) if size >> b & 1]


def extend(frontier: list[bytes], size: int, leaves: Iterable[bytes]) -> tuple[list[bytes], int]:
    """The frontier (roots of the perfect subtrees, left to right) of a tree of ``size`` leaves, extended by
    ``leaves``: k new leaves cost O(k) hashes amortised (O(k log n) at worst), whatever the size.

    This is :func:`root`'s stack kept between calls, so a signed tree head for n + k entries needs only the k
    new entries and the O(log n) hashes stored with the previous head.
    """
    if len(frontier) != len(frontier_sizes(size)):
        raise ValueError(f"a frontier of {len(frontier)} hashes cannot describe a tree of {size} leaves")
    stack = list(zip(frontier_sizes(size), frontier, strict=True))
    for h in leaves:
        width, cur = 1, h
        while stack and stack[-1][0] == width:
            _, left = stack.pop()
            cur = node_hash(left, cur)
            width *= 2
        stack.append((width, cur))
        size += 1
    return [h for _, h in stack], size


def frontier_root(frontier: list[bytes]) -> bytes:
    """The tree's root from its frontier (:func:`extend`); equal to :func:`root` over all its leaves."""
    if not frontier:
        return EMPTY_ROOT
    cur = frontier[-1]
    for left in reversed(frontier[:-1]):
        cur = node_hash(left, cur)
    return cur


def inclusion_proofs(indices: Iterable[int], leaves: list[bytes]) -> dict[int, list[bytes]]:
    """PATH(m, D[n]) for every m of ``indices`` in one descent that hashes every node once: O(n) hashes for
    all the proofs instead of O(n) each (a package proves many entries)."""
    wanted = sorted(set(indices))
    if wanted and (wanted[0] < 0 or wanted[-1] >= len(leaves)):
        bad = wanted[0] if wanted[0] < 0 else wanted[-1]
        raise IndexError(f"leaf {bad} is outside a tree of size {len(leaves)}")
    out: dict[int, list[bytes]] = {i: [] for i in wanted}

    def walk(lo: int, hi: int, inside: list[int]) -> bytes:
        """The root of leaves[lo:hi], appending each wanted leaf's sibling at this level (deepest first)."""
        if not inside:
            return root(leaves[lo:hi])
        if hi - lo == 1:
            return leaves[lo]
        mid = lo + _split(hi - lo)
        left, right = [i for i in inside if i < mid], [i for i in inside if i >= mid]
        left_root, right_root = walk(lo, mid, left), walk(mid, hi, right)
        for i in left:
            out[i].append(right_root)
        for i in right:
            out[i].append(left_root)
        return node_hash(left_root, right_root)

    if wanted:
        walk(0, len(leaves), wanted)
    return out


def inclusion_proof(index: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1."""
    if not 0 <= index < len(leaves):
        raise IndexError(f"leaf {index} is outside a tree of size {len(leaves)}")
    if len(leaves) == 1:
        return []
    k = _split(len(leaves))
    if index < k:
        return inclusion_proof(index, leaves[:k]) + [root(leaves[k:])]
    return inclusion_proof(index - k, leaves[k:]) + [root(leaves[:k])]


def consistency_proof(old_size: int, leaves: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2."""
    if not 0 < old_size <= len(leaves):
        raise ValueError(f"old size {old_size} must be between 1 and {len(leaves)}")
    return _subproof(old_size, leaves, True)


def _subproof(m: int, leaves: list[bytes], complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [root(leaves)]
    k = _split(n)
    if m <= k:
        return _subproof(m, leaves[:k], complete) + [root(leaves[k:])]
    return _subproof(m - k, leaves[k:], False) + [root(leaves[:k])]


def _hashes(*values: bytes) -> bool:
    """Whether every value is a SHA-256 digest: an empty or short "hash" must never pass a check."""
    return all(isinstance(v, bytes) and len(v) == HASH_SIZE for v in values)


def verify_inclusion(leaf: bytes, index: int, size: int, proof: list[bytes], expected_root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if index < 0 or index >= size or not _hashes(leaf, expected_root, *proof):
        return False
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(old_size: int, new_size: int, proof: list[bytes], old_root: bytes,
                       new_root: bytes) -> bool:
    """RFC 9162 §2.1.4.2."""
    if old_size < 0 or not _hashes(old_root, new_root, *proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0 or old_size > new_size or not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


def prefix_roots(leaves: list[bytes], sizes: set[int]) -> dict[int, bytes]:
    """Roots of the first ``s`` leaves for every ``s`` in ``sizes``, in one pass (checks many tree heads)."""
    out: dict[int, bytes] = {}
    if 0 in sizes:
        out[0] = EMPTY_ROOT
    stack: list[tuple[int, bytes]] = []
    for i, h in enumerate(leaves, 1):
        size, cur = 1, h
        while stack and stack[-1][0] == size:
            _, left = stack.pop()
            cur = node_hash(left, cur)
            size *= 2
        stack.append((size, cur))
        if i in sizes:
            acc = stack[-1][1]
            for _, left in reversed(stack[:-1]):
                acc = node_hash(left, acc)
            out[i] = acc
    return out
