"""The workspace's Ed25519 signing key: made at ``init``, private half kept 0600 in the workspace.

A key is named by its fingerprint, the full SHA-256 of its raw public key (64 hex digits): a shortened id
could be matched by a key made for the purpose. The ledger pins the fingerprint at ``init``; a rotation
is a statement the old key signs (:func:`rotation_message`).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def create_key(path: Path) -> Ed25519PrivateKey:
    """Write a new key atomically; refuses to overwrite an existing one."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
        f.flush()
        os.fsync(f.fileno())
    try:
        os.link(tmp, path)  # fails if a key already exists: never replace a signing key silently
    finally:
        tmp.unlink()
    return key


def load_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def public_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def key_id(pem: str) -> str:
    """Fingerprint of a public key: the SHA-256 of its raw bytes, all 64 hex digits."""
    raw = load_public(pem).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def is_fingerprint(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def rotation_message(old_key_id: str, new_key_id: str, new_public_key: str) -> bytes:
    """The exact bytes the old key signs to hand the workspace over to a new key."""
    return json.dumps({"action": "key.rotate", "from": old_key_id, "to": new_key_id, "public_key": new_public_key},
                      sort_keys=True, separators=(",", ":")).encode()


def load_public(pem: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def verify_signature(pem: str, signature_hex: str, message: bytes) -> bool:
    try:
        load_public(pem).verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True
