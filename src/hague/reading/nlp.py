"""Optional help from a spaCy pipeline that is already installed, named by ``HAGUE_SPACY_MODEL``.

The default path needs none of this: rules and the shipped data do the reading. When an operator has a
trained pipeline installed (for instance one packaged as a wheel inside their network), its person
entities add full names the rules may miss, so surnames later in the text resolve to them. Nothing is
ever downloaded: a model that cannot be loaded is reported once and reading goes on without it.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from hague.config import SETTINGS, load_config

log = logging.getLogger(__name__)
ENV = SETTINGS["spacy_model"].env


@cache
def _pipeline(name: str) -> Any | None:
    try:
        import spacy  # optional dependency

        return spacy.load(name, exclude=["lemmatizer", "textcat"])
    except ImportError:
        log.warning("%s=%s is set but spaCy is not installed; reading without it", ENV, name)
    except OSError as exc:  # not installed as a package or path; spaCy never downloads on load
        log.warning("%s=%s cannot be loaded (%s); reading without it", ENV, name, exc)
    return None


def pipeline() -> Any | None:
    """The configured pipeline, or None (not configured, or not loadable)."""
    name = load_config().spacy_model.strip()
    return _pipeline(name) if name else None


def person_names(text: str) -> list[str]:
    """Multi-word person names the pipeline finds in ``text``; empty without a pipeline."""
    nlp = pipeline()
    if nlp is None:
        return []
    return [ent.text for ent in nlp(text).ents if ent.label_ == "PERSON" and " " in ent.text.strip()]
