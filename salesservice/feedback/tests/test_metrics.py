"""FBK-4: CSAT and NPS maths — pure functions, edge cases included (no answers → None)."""

from decimal import Decimal

import pytest

from ..metrics import csat, csat_from_counts, nps, nps_from_counts


def test_csat_is_the_share_of_ratings_of_4_or_5():
    result = csat([5, 4, 3, 2, 5])
    assert result.count == 5 and result.satisfied == 3
    assert result.csat == Decimal("60.0") and result.average == Decimal("3.80")


def test_csat_of_no_answers_is_none():
    result = csat([])
    assert result.count == 0 and result.csat is None and result.average is None


def test_csat_rounds_half_up_to_one_decimal():
    assert csat([5, 5, 1]).csat == Decimal("66.7")
    assert csat([4]).csat == Decimal("100.0") and csat([1]).csat == Decimal("0.0")


def test_nps_is_promoters_minus_detractors():
    # promoters 9,10,10 (3); passives 7,8 (2); detractors 0,6 (2) of 7 → (3-2)/7 = 14.3
    result = nps([9, 10, 10, 7, 8, 0, 6])
    assert (result.promoters, result.passives, result.detractors) == (3, 2, 2)
    assert result.nps == Decimal("14.3")


def test_nps_extremes_and_empty():
    assert nps([10, 9]).nps == Decimal("100.0")
    assert nps([0, 6, 3]).nps == Decimal("-100.0")
    assert nps([7, 8]).nps == Decimal("0.0")
    empty = nps([])
    assert empty.count == 0 and empty.nps is None


def test_counts_variants_match_and_out_of_range_values_are_refused():
    assert csat_from_counts(0, 0, 0).csat is None
    assert nps_from_counts(4, 2, 1).nps == Decimal("25.0")
    with pytest.raises(ValueError):
        csat([0])
    with pytest.raises(ValueError):
        nps([11])
