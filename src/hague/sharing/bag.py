"""BagIt (RFC 8493) tag files: written for a package, and checked against the files a package holds.

The bag is a top-level folder in the zip (RFC 8493 §4: one bag, in a folder of its own name);
payload under ``data/``, SHA-256 manifests for the payload and for the tag files.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"
TAG_FILES = ("bagit.txt", "bag-info.txt", MANIFEST)
_LINE = re.compile(r"^([0-9a-f]{64})[ \t]+(\S.*)$")


@dataclass(frozen=True)
class BagProblem:
    file: str  # path inside the bag
    message: str


def _encode_path(path: str) -> str:
    """RFC 8493 §2.1.3: CR, LF and % are percent-encoded in manifest paths."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _decode_path(path: str) -> str:
    return path.replace("%0D", "\r").replace("%0d", "\r").replace("%0A", "\n").replace("%0a", "\n") \
        .replace("%25", "%")


def manifest_text(hashes: Mapping[str, str]) -> bytes:
    return "".join(f"{sha}  {_encode_path(p)}\n" for p, sha in sorted(hashes.items())).encode("utf-8")


def bag_info(fields: list[tuple[str, str]], payload_bytes: int, payload_files: int) -> bytes:
    """bag-info.txt; values are kept to one line (RFC 8493 allows folding, but nothing here needs it)."""
    rows = [*fields, ("Payload-Oxum", f"{payload_bytes}.{payload_files}")]
    return "".join(f"{k}: {' '.join(str(v).split())}\n" for k, v in rows).encode("utf-8")


def tag_files(payload: Mapping[str, str], payload_bytes: int, info: list[tuple[str, str]]) -> dict[str, bytes]:
    """bagit.txt, bag-info.txt, the payload manifest and the tag manifest over those three."""
    files = {"bagit.txt": BAGIT_TXT, "bag-info.txt": bag_info(info, payload_bytes, len(payload)),
             MANIFEST: manifest_text(payload)}
    files[TAGMANIFEST] = manifest_text({name: hashlib.sha256(data).hexdigest() for name, data in files.items()})
    return files


def parse_manifest(name: str, text: str) -> tuple[dict[str, str], list[BagProblem]]:
    entries: dict[str, str] = {}
    problems = []
    for n, line in enumerate(text.splitlines(), 1):
        m = _LINE.match(line)
        if not m:
            problems.append(BagProblem(name, f"line {n} is not 'sha256 path'"))
            continue
        path = _decode_path(m.group(2))
        if path in entries:
            problems.append(BagProblem(name, f"line {n} lists {path} twice"))
        entries[path] = m.group(1)
    return entries, problems


def parse_info(text: str) -> dict[str, str]:
    info: dict[str, str] = {}
    last = None
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and last:
            info[last] += " " + line.strip()
        elif ":" in line:
            last, value = line.split(":", 1)
            info[last.strip()] = value.strip()
    return info


def check_bag(hashes: Mapping[str, str], sizes: Mapping[str, int], text_of: Mapping[str, str]) -> list[BagProblem]:
    """Check a bag's files (path in the bag -> SHA-256, size) against its declaration and manifests.

    ``text_of`` holds the decoded tag files. Every payload file must be listed with its hash, every
    listed file present, every tag file in the tag manifest, and the Payload-Oxum right.
    """
    problems: list[BagProblem] = []
    if "bagit.txt" not in hashes:
        return [BagProblem("bagit.txt", "missing: not a BagIt bag")]
    if text_of.get("bagit.txt", "").encode("utf-8") != BAGIT_TXT:
        problems.append(BagProblem("bagit.txt", "not the BagIt 1.0 declaration"))
    for manifest, scope in ((MANIFEST, "payload"), (TAGMANIFEST, "tag")):
        if manifest not in text_of:
            problems.append(BagProblem(manifest, f"missing: the {scope} files cannot be checked"))
            continue
        listed, bad = parse_manifest(manifest, text_of[manifest])
        problems += bad
        for path, sha in sorted(listed.items()):
            if path not in hashes:
                problems.append(BagProblem(path, f"listed in {manifest} but missing from the package"))
            elif hashes[path] != sha:
                problems.append(BagProblem(path, f"SHA-256 differs from {manifest}: the file was altered"))
        if scope == "payload":
            for path in sorted(p for p in hashes if p.startswith("data/") and p not in listed):
                problems.append(BagProblem(path, f"payload file not listed in {manifest}"))
            payload = [p for p in listed if p in hashes]
            oxum = parse_info(text_of.get("bag-info.txt", "")).get("Payload-Oxum")
            actual = f"{sum(sizes[p] for p in payload)}.{len(listed)}"
            if oxum != actual:
                problems.append(BagProblem("bag-info.txt", f"Payload-Oxum {oxum} but the payload is {actual}"))
        else:
            for path in sorted(p for p in hashes if not p.startswith("data/") and p != TAGMANIFEST
                               and p not in listed):
                problems.append(BagProblem(path, f"tag file not listed in {manifest}"))
    return problems
