"""Scoring against a gold set (docs/gold-format.md): load the set, turn a system's output into predictions,
score them, and print the figures and the misses.

Typical use::

    gold = load_gold_set("path/to/set")
    result = score(gold, predict_direct("path/to/set"))
    console.print(render(result))

or ``hague eval SETDIR [--json] [--doc ID] [--show-misses] [--direct | --predictions FILE | --check-gold]``
(:func:`hague.services.measure.evaluate`).

Decisions where GOLD.md leaves room, so figures mean the same on every set:

- Gold text is located ignoring typography (quotes, dashes, spacing) and letter case; a quote found
  more than once may be matched at any occurrence. If the prediction's text differs from the gold
  document, gold text is located afresh in it (and reported as "unlocated" when absent).
- "Overlaps by at least half" means the overlap covers at least half of the gold quote (or reuse
  passage). Statements and reuse pair one-to-one, best covered share first (ties: tighter prediction);
  reports pair one-to-one by characters of evidence shared, any overlap counting.
- Null versus a value is wrong in both directions (a date the document does not support is as wrong
  as a missing one); null versus null is right. A predicted interval is right inside the gold interval.
- Targets and weapons: set F1 per matched report, two empty sets scoring 1.0; the group figure is the
  share of matched reports whose set of target groups equals the gold one.
- Places: same name after normalisation or near-identical spelling, else within 25 km when
  ``hague.reading.places.geocode`` exists (countries only by name, since they geocode to one point).
- Perpetrator: normalised string equality (case, articles, punctuation ignored; "Russian forces" is not
  "Russia").
- Incidents: over matched reports; a report the system left without an incident id is its own
  incident; all figures are null when no predicted report carries an id.
- Reuse: only predicted passages inside documents of the set count; null when predictions' reuse is null.
- Any figure with a zero denominator is None ("—"). F1 is 2·matched/(predicted + gold), so it is 0.0,
  not undefined, when a system predicts nothing against a non-empty gold.
"""

from hague.eval.align import Alignment, align
from hague.eval.gold import GoldSet, GoldSetError, load_gold_set, subset
from hague.eval.metrics import score, summarise
from hague.eval.predict import gold_as_predictions, predict_direct, predictions_from_readings
from hague.eval.report import render, render_misses

__all__ = [
    "Alignment", "GoldSet", "GoldSetError", "align", "gold_as_predictions", "load_gold_set",
    "predict_direct", "predictions_from_readings", "render", "render_misses", "score", "subset", "summarise",
]
