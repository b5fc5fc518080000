"""``python -m hague.cli``: the command line as a module (tests start it as a separate process)."""

from hague.cli import main

main()
