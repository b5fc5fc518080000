"""Canonical JSON: keys sorted, no spaces, text as UTF-8 rather than ``\\u`` escapes. It is the one encoding of a
value whose bytes a ledger entry's hash and a tree head's signature cover (:mod:`hague.evidence.chain`), and the
text the ledger's JSON columns are stored as (:class:`hague.model.CanonicalJSON`), so that ``hague verify`` can
hash an entry as stored instead of decoding and re-encoding it.

Standard library only: what imports it (the ledger's formats, the tables) must stay cheap to start.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

encode: Callable[[Any], str] = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
string: Callable[[str], str] = json.encoder.encode_basestring  # a str as ``encode`` writes it, quotes included
