"""How far a long run is: the stage it is in, how much work the stage has, how much is done.

An analysis of many documents spends most of its time after reading (at 100,000 documents, most of an hour placing
reports and refreshing incidents), so a front end that showed only reading left a person looking at nothing for
that long. The run reports each :class:`~hague.vocab.Stage` as it starts and its work as it is done; the command
line draws a bar per stage, and a caller that does not care passes nothing (:data:`SILENT`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hague.vocab import Stage


def _ignore(stage: Stage, n: int) -> None:
    """Nobody is watching."""


@dataclass(frozen=True)
class Progress:
    """``start(stage, total)`` as a stage begins with ``total`` units of work (documents, reports, incidents), then
    ``done(stage, n)`` as each ``n`` of them are done."""

    start: Callable[[Stage, int], None] = _ignore
    done: Callable[[Stage, int], None] = _ignore


SILENT = Progress()
