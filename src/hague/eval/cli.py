"""``python -m hague.eval SETDIR``: score the reader (or saved predictions) against a gold set."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

from hague.eval.align import align
from hague.eval.checks import find_geocoder
from hague.eval.gold import GoldSetError, load_gold_set, subset
from hague.eval.metrics import summarise
from hague.eval.predict import gold_as_predictions, predict_direct
from hague.eval.report import render, render_misses


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m hague.eval", description=__doc__)
    parser.add_argument("setdir", type=Path, help="a gold set folder (docs/, gold/), see docs/gold-format.md")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--doc", action="append", metavar="ID", help="score only this document (repeatable)")
    parser.add_argument("--show-misses", action="store_true",
                        help="list unmatched gold, extra predictions and wrong fields, per document")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--predictions", type=Path, metavar="FILE",
                        help="score a saved predictions JSON instead of running the reader")
    source.add_argument("--check-gold", action="store_true",
                        help="score the gold against itself (must be 1.0 everywhere): checks a new set")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    out = Console()
    try:
        gold = load_gold_set(args.setdir)
        if args.doc:
            gold = subset(gold, set(args.doc))
    except GoldSetError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.check_gold:
        predictions = gold_as_predictions(gold)
    elif args.predictions:
        predictions = json.loads(args.predictions.read_text(encoding="utf-8"))
    else:
        predictions = predict_direct(args.setdir, only=set(gold.docs))
    geocode = find_geocoder()
    alignment = align(gold, predictions)
    result = summarise(alignment, geocode)
    for doc_id, error in alignment.errors.items():
        print(f"error reading {doc_id}: {error}", file=sys.stderr)
    if args.show_misses:
        out.print(render_misses(alignment, geocode))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        out.print(render(result, alignment))
    return 0


if __name__ == "__main__":
    sys.exit(main())
