"""Conflict context by country, date and place, and the per-incident override."""

from __future__ import annotations

from datetime import date

import pytest

from hague.law import conflict_context
from hague.law.conflicts import party_code


def test_russia_ukraine_is_international_from_24_february_2022() -> None:
    ctx = conflict_context("UA", date(2022, 2, 24))
    assert ctx is not None and ctx.conflict_type == "iac" and not ctx.assumed
    assert ctx.applicable == frozenset({"iac"})
    assert conflict_context("RU", "2023-05-01").conflict_type == "iac"


def test_before_the_invasion_law_md_gives_no_classification_outside_crimea() -> None:
    ctx = conflict_context("UA", date(2022, 2, 23))
    assert ctx.conflict_type == "unclear" and "Crimea" in ctx.basis
    assert ctx.applicable == frozenset({"iac", "niac"})
    assert conflict_context("UA", "2010-06-01") is None


def test_crimea_is_occupation_from_2014() -> None:
    ctx = conflict_context("UA", "2015-03-01", place="Sevastopol, Crimea")
    assert ctx.conflict_type == "occupation" and ctx.applicable == frozenset({"iac"})


def test_missing_date_or_straddling_interval_is_marked_assumed() -> None:
    undated = conflict_context("UA", None)
    assert undated.conflict_type == "iac" and undated.assumed and "date unknown" in undated.assumption
    straddle = conflict_context("UA", "2022-02-21/2022-02-27")
    assert straddle.conflict_type == "iac" and straddle.assumed and "span" in straddle.assumption
    inside = conflict_context("UA", "2022-03-03/2022-03-07")
    assert not inside.assumed


def test_override_is_honoured_and_checked() -> None:
    ctx = conflict_context("UA", "2022-03-04", override="niac")
    assert ctx.conflict_type == "niac" and ctx.source == "override"
    assert conflict_context(None, None, override="iac").conflict_type == "iac"
    with pytest.raises(ValueError, match="civil war"):
        conflict_context("UA", None, override="civil war")


def test_unknown_country_has_no_context() -> None:
    assert conflict_context("FR", "2022-03-04") is None
    assert conflict_context(None, "2022-03-04") is None


def test_verify_flag_and_jurisdiction_notes_travel_with_the_context() -> None:
    ctx = conflict_context("UA", "2022-03-04")
    assert ctx.verify and "12(3)" in ctx.verify_note
    assert any("art. 124" in j for j in ctx.jurisdiction)


def test_party_codes() -> None:
    assert party_code("Russia") == "RU" and party_code("Ukrainian forces") == "UA"
    assert party_code("Atlantis") is None and party_code(None) is None
