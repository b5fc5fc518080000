"""The ``hague`` command line: each command is a thin call into :mod:`hague.services`.

Human output goes to stdout through Rich; ``--json`` prints one JSON document instead, for scripts (errors
too). Problems go to stderr, one line naming the input and the reason. Exit codes: 0 all well, 1 something
failed (named), 2 the command could not run (bad arguments or settings, no workspace).

Commands live in one module per phase and are mounted here, explicitly, so this table is the whole CLI.
"""

from __future__ import annotations

from typing import Annotated

import typer

from hague import __version__
from hague.cli import corroboration, evidence, measure, reading, review, sharing, team, workspace
from hague.cli.common import out

app = typer.Typer(help="Hague: preserve open sources as verifiable evidence and structure them for legal review.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode="rich",
                  pretty_exceptions_enable=False)


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context,
          version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False) -> None:
    """Collect → preserve → read → corroborate → review → share. Start with [bold]hague init[/bold]."""
    if version:
        out.print(f"hague {__version__}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        out.print(ctx.get_help())
        raise typer.Exit()


# workspace
app.command("init")(workspace.init)
app.command("config")(workspace.show_config)
# collect + preserve + custody
app.command("add")(evidence.add)
app.command("items")(evidence.items)
app.command("log")(evidence.log)
app.command("verify")(evidence.verify)
app.command("proof")(evidence.proof)
evidence.key_app.command("export")(evidence.key_export)
evidence.key_app.command("rotate")(evidence.key_rotate)
app.add_typer(evidence.key_app, name="key")
# read
app.command("analyze")(reading.analyze)
app.command("statements")(reading.statements)
app.command("reports")(reading.reports)
# corroborate
app.command("reuse")(corroboration.reuse)
app.command("incidents")(corroboration.incidents)
app.command("incident")(corroboration.incident)
app.command("positions")(corroboration.positions)
corroboration.source_app.command("grade")(corroboration.source_grade)
corroboration.source_app.command("list")(corroboration.source_list)
app.add_typer(corroboration.source_app, name="source")
# review
review.review_app.command("list")(review.review_list)
review.review_app.command("show")(review.review_show)
review.review_app.command("set")(review.review_set)
review.review_app.command("decide")(review.review_decide)
review.review_app.command("context")(review.review_context)
app.add_typer(review.review_app, name="review")
# share
app.command("report")(sharing.report)
sharing.package_app.command("create")(sharing.package_create)
sharing.package_app.command("verify")(sharing.package_verify)
sharing.package_app.command("import")(sharing.package_import)
app.add_typer(sharing.package_app, name="package")
sharing.protect_app.command("add")(sharing.protect_add)
sharing.protect_app.command("list")(sharing.protect_list)
app.add_typer(sharing.protect_app, name="protect")
app.command("export")(sharing.export)
# measure
app.command("eval")(measure.evaluate)
# the team's workspace (web)
app.command("serve")(team.serve)
for name, fn in (("add", team.user_add), ("list", team.user_list), ("disable", team.user_disable),
                 ("logout", team.user_logout), ("password", team.user_password)):
    team.user_app.command(name)(fn)
app.add_typer(team.user_app, name="user")
for name, fn in (("create", team.case_create), ("list", team.case_list), ("member", team.case_member),
                 ("add", team.case_add), ("share", team.case_share)):
    team.case_app.command(name)(fn)
app.add_typer(team.case_app, name="case")
team.token_app.command("create")(team.token_create)
team.token_app.command("revoke")(team.token_revoke)
app.add_typer(team.token_app, name="token")


def main() -> None:
    app()
