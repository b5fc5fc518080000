"""The command line's shared pieces: an analysis's progress drawn as a bar per stage."""

from __future__ import annotations

import io

from rich.console import Console
from rich.progress import Progress

from hague.cli.common import stage_bars
from hague.vocab import Stage


def test_a_bar_per_stage_shown_while_its_stage_runs() -> None:
    bars = Progress(console=Console(file=io.StringIO()))
    adding = bars.add_task("adding", total=5)
    run = stage_bars(bars)
    run.start(Stage.READING, 4)
    run.done(Stage.READING, 3)
    run.done(Stage.READING, 1)
    run.start(Stage.PLACING, 10)
    run.done(Stage.PLACING, 2)
    shown = {t.description: (t.visible, t.completed, t.total) for t in bars.tasks}
    assert shown == {"adding": (False, 0, 5), "reading": (False, 4, 4), "placing reports": (True, 2, 10)}
    assert bars.tasks[0].id == adding
