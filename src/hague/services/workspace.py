"""Opening and creating a workspace, and the settings that say where it is and what limits protect it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hague import workspace as _ws
from hague.config import SETTINGS, Config, load_config
from hague.workspace import Workspace


@dataclass(frozen=True)
class Initialised:
    """A workspace made (or found already made) by :func:`initialise`."""

    home: str
    created: bool
    tree_head: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"home": self.home, "created": self.created, "tree_head": self.tree_head}


@dataclass(frozen=True)
class SettingInfo:
    """One setting: its name, environment variable, current value and what it does."""

    setting: str
    env: str
    value: str
    help: str

    def to_json(self) -> dict[str, Any]:
        return {"setting": self.setting, "env": self.env, "value": self.value, "help": self.help}


def open(config: Config | None = None) -> Workspace:
    """The initialised workspace the settings point at (pending migrations applied).

    Raises ``SettingsError`` for a malformed setting, ``WorkspaceMissing`` when there is none (run
    :func:`initialise`) and ``WorkspaceCorrupt`` when the database is not a Hague workspace.
    """
    return _ws.open_workspace(config or load_config())


def initialise(actor: str, config: Config | None = None) -> tuple[Workspace, Initialised]:
    """Create the workspace (database, object store, Ed25519 signing key; ledger entry ``init`` by ``actor``),
    or upgrade one that exists, changing nothing else. Returns it open, with what was done."""
    ws, created = _ws.init_workspace(config or load_config(), actor)
    head = ws.seal()
    return ws, Initialised(str(ws.config.home), created, head.to_json())


def settings(config: Config | None = None) -> list[SettingInfo]:
    """Every setting with its current value (``SettingsError`` if one is malformed)."""
    cfg = config or load_config()
    return [SettingInfo(name, s.env, str(getattr(cfg, name)), s.help) for name, s in SETTINGS.items()]
