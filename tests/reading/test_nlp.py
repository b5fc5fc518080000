"""The optional spaCy hook: off by default, and a model that cannot be loaded never stops reading."""

from __future__ import annotations

import logging

from hague.reading import nlp, read_document

TEXT = 'Minister Olena Petrenko spoke in the morning. "The bridge was hit twice," Petrenko said on Monday.'


def test_default_path_uses_no_model(monkeypatch) -> None:
    monkeypatch.delenv(nlp.ENV, raising=False)
    assert nlp.pipeline() is None and nlp.person_names(TEXT) == []


def test_unloadable_model_is_reported_and_reading_goes_on(monkeypatch, caplog) -> None:
    monkeypatch.setenv(nlp.ENV, "no_such_pipeline_installed")
    with caplog.at_level(logging.WARNING, logger="hague.reading.nlp"):
        reading = read_document(TEXT)
    assert "no_such_pipeline_installed" in caplog.text
    assert [s.speaker.value for s in reading.statements] == ["Olena Petrenko"]
