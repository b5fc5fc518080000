"""Options declared as plain data, so a command can run without loading its option parser.

Typer builds a command's parser from its function's signature, and loading Typer (with Click and the pydantic it
coerces values with) was a fifth of a ``hague verify`` of 10,000 small originals. A command whose parameters are
all declared with :class:`Option` (``since: Annotated[int | None, Option("--since", ...)]``) runs two ways from
that one declaration: through Typer, which gets each :class:`Option` as the ``typer.Option`` it stands for
(:func:`for_typer`), for help, error messages and every form of arguments; and, when its arguments are only the
options it declares in their plain forms, directly (:func:`parse`, from :func:`hague.cli.main`). Anything else
(``--help``, an unknown option, a value Typer would refuse) goes to Typer, so help and errors have one source.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any


@dataclass(frozen=True)
class Option:
    """A command-line option: a flag (``bool``) or a whole number (``int``, ``int | None``) of at least ``min``."""

    flag: str
    help: str
    metavar: str | None = None
    min: int | None = None

    def typer(self) -> Any:
        """The ``typer.Option`` this declares (Typer is imported only now)."""
        import typer

        return typer.Option(self.flag, metavar=self.metavar, min=self.min, help=self.help)


JSON = Option("--json", "Print JSON for scripts instead of tables.")


def _options(func: Callable[..., Any]) -> dict[str, tuple[Any, Option | None]]:
    """Each parameter's annotation and the :class:`Option` it declares, if any."""
    hints = typing.get_type_hints(func, include_extras=True)
    hints.pop("return", None)
    return {name: (hint, next((m for m in getattr(hint, "__metadata__", ()) if isinstance(m, Option)), None))
            for name, hint in hints.items()}


def for_typer(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` as Typer reads it: each :class:`Option` in its annotations made a ``typer.Option``."""
    hints = {name: hint if option is None else Annotated[(typing.get_args(hint)[0], option.typer())]
             for name, (hint, option) in _options(func).items()}
    signature = inspect.signature(func)

    @functools.wraps(func)
    def run(**kwargs: Any) -> Any:
        return func(**kwargs)

    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p.replace(annotation=hints[p.name]) for p in signature.parameters.values()])
    run.__annotations__ = hints
    return run


def parse(func: Callable[..., Any], args: list[str]) -> dict[str, Any] | None:
    """The keyword arguments of ``func`` that ``args`` give, or None unless every parameter is declared with an
    :class:`Option` and ``args`` hold only those options, each at most once, in a plain form (``--flag``,
    ``--number N``, ``--number=N`` with N of ASCII digits, at least its minimum)."""
    options = _options(func)
    if not options or any(option is None for _, option in options.values()):
        return None
    named = {option.flag: (name, typing.get_args(hint)[0], option)
             for name, (hint, option) in options.items() if option is not None}
    values: dict[str, Any] = {}
    given = iter(args)
    for arg in given:
        flag, equals, value = arg.partition("=")
        if flag not in named or named[flag][0] in values:
            return None
        name, kind, option = named[flag]
        if kind is bool:
            if equals:
                return None
            values[name] = True
            continue
        if not equals:
            value = next(given, "")
        if not (value.isascii() and value.isdigit()) or kind not in (int, int | None):
            return None
        values[name] = int(value)
        if option.min is not None and values[name] < option.min:
            return None
    return values
