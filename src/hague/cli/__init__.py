"""The ``hague`` command line: each command is a thin call into :mod:`hague.services`.

Human output goes to stdout through Rich; ``--json`` prints one JSON document instead, for scripts (errors
too). Problems go to stderr, one line naming the input and the reason. Exit codes: 0 all well, 1 something
failed (named), 2 the command could not run (bad arguments or settings, no workspace).

Commands live in one module per phase and are named here, explicitly, in :data:`COMMANDS`: this table is the
whole CLI. A command's module is imported only when that command runs (``hague verify`` does not load the
reader, the clustering or the web stack, which took over a second of every start-up), so the table names
``module:attribute`` rather than importing them; ``hague --help`` loads them all to list their help. The
Typer application that parses arguments is :mod:`hague.cli.root`; the commands of :data:`DIRECT` run without
it when their arguments are plain (:mod:`hague.cli.options`).
"""

from __future__ import annotations

import gc
import importlib
import sys

# name -> (module in hague.cli, attribute): a command function, or a typer.Typer of sub-commands
COMMANDS: dict[str, tuple[str, str]] = {
    # workspace
    "init": ("workspace", "init"), "config": ("workspace", "show_config"),
    # collect + preserve + custody
    "add": ("evidence", "add"), "items": ("evidence", "items"), "log": ("evidence", "log"),
    "verify": ("custody", "verify"), "proof": ("evidence", "proof"), "key": ("evidence", "key_app"),
    # read
    "analyze": ("reading", "analyze"), "statements": ("reading", "statements"), "reports": ("reading", "reports"),
    # corroborate
    "reuse": ("corroboration", "reuse"), "incidents": ("corroboration", "incidents"),
    "incident": ("corroboration", "incident"), "positions": ("corroboration", "positions"),
    "source": ("corroboration", "source_app"),
    # review
    "review": ("review", "review_app"),
    # people correct the machine
    "login": ("curation", "login"), "worker": ("curation", "worker"), "curate": ("curation", "curate_app"),
    # share
    "report": ("sharing", "report"), "package": ("sharing", "package_app"), "protect": ("sharing", "protect_app"),
    "export": ("sharing", "export"),
    # measure
    "eval": ("measure", "evaluate"),
    # the team's workspace (web)
    "serve": ("team", "serve"), "user": ("team", "user_app"), "case": ("team", "case_app"),
    "token": ("team", "token_app"),
}

# Commands whose options are plain declarations (hague.cli.options): run without Typer when their arguments are
# only those options, since loading it was a fifth of `hague verify` on 10,000 small originals.
DIRECT = frozenset({"verify"})


def main() -> None:
    """The ``hague`` process. Start-up (the command's module, SQLAlchemy and the ORM, the option parser's pydantic)
    allocates some hundred thousand objects that live as long as the process, and the cyclic collector walked
    them again and again as they came: about a tenth of a short command's start. So it is paused here until the
    command is about to run (:func:`hague.cli.base.command`), which freezes what start-up made (never walked
    again) and resumes it. Only the process entry: a test that invokes the app keeps its collector."""
    gc.disable()
    args = sys.argv[1:]
    if args and args[0] in DIRECT and _direct(args[0], args[1:]):
        return
    from hague.cli.root import app

    app()


def _direct(name: str, args: list[str]) -> bool:
    """Run command ``name`` without Typer if ``args`` are plain options it declares; False, having run nothing,
    when they are not (then Typer parses them: help, errors and every other form have that one source)."""
    from hague.cli.options import parse

    module, attribute = COMMANDS[name]
    func = getattr(importlib.import_module(f"hague.cli.{module}"), attribute)
    values = parse(func, args)
    if values is None:
        return False
    func(**values)
    return True
