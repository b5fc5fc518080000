"""Read the YAML tables shipped in ``hague/law/data``.

The law layer is data so that a lawyer can review and correct it without reading code; this module is
the only place that knows where those files live.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load_yaml(name: str) -> Any:
    """Parse ``data/<name>.yaml`` once per process (the tables are read-only)."""
    text = resources.files("hague.law").joinpath("data", f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)
