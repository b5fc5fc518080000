"""The law layer's tables, ``hague/law/data/NAME.yaml``, read once per process through the one data loader.

The law layer is data so that a lawyer can review and correct it without reading code.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hague import datafiles


@cache
def load_yaml(name: str) -> Any:
    """Parse ``data/<name>.yaml`` once per process (the tables are read-only)."""
    return datafiles.load_yaml("hague.law", f"data/{name}.yaml")
