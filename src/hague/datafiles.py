"""The one loader for data files shipped inside the package (lexicons, tables, wording, provisions).

Data files are read through ``importlib.resources``, so they are found wherever the package is installed
(a wheel, a zip, an editable checkout). Callers that read a table often cache what they build from it.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it (the same documents, several times faster: the law tables alone
# took a fifth of a review decision to parse in Python)
_SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BASE = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def read_text(package: str, path: str) -> str:
    """The text of ``path`` (e.g. ``"data/codes.yaml"``) inside ``package`` (e.g. ``"hague"``)."""
    return resources.files(package).joinpath(path).read_text(encoding="utf-8")


def load_yaml(package: str, path: str, *, plain: bool = False) -> Any:
    """The parsed YAML file ``path`` inside ``package`` (a safe loader: data, never code).

    ``plain`` keeps every scalar a string (YAML's base schema), for word lists where "no" or "on" are words.
    """
    return yaml.load(read_text(package, path), _BASE if plain else _SAFE)  # noqa: S506
