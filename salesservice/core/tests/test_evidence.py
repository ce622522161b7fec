"""The evidence kernel of the compliance report (issue 16 §4): rates against a target, enforce rules, and how a
clause's aspects combine — no data is never met."""

import datetime as dt
from decimal import Decimal

from salesservice.core.evidence import (
    MET,
    NO_DATA,
    SHORT,
    Evidence,
    Period,
    combined_status,
    count_only,
    none_violating,
    percent,
    rate,
)


def test_rate_is_met_at_the_target_short_below_and_no_data_without_records():
    assert rate("x", good=4, total=5, target=80).status == MET
    below = rate("x", good=3, total=5, target=80, shortfalls=[("A-1", "/a/1/"), ("A-2", "/a/2/")])
    assert (
        below.status == SHORT and below.shortfall_count == 2 and [s.label for s in below.shortfalls] == ["A-1", "A-2"]
    )
    assert rate("x", good=0, total=0).status == NO_DATA


def test_percent_rounds_half_up_to_one_decimal():
    assert percent(2, 3) == Decimal("66.7") and percent(1, 8) == Decimal("12.5") and percent(0, 0) == Decimal("0.0")


def test_an_enforce_rule_is_short_on_one_violation_and_no_data_when_nothing_was_checked():
    assert none_violating("x", checked=10, violations=[]).status == MET
    short = none_violating("x", checked=10, violations=[("B-1", "/b/1/")], violation_count=3)
    assert short.status == SHORT and short.shortfall_count == 3
    assert none_violating("x", checked=0, violations=[]).status == NO_DATA
    assert count_only("x", count=0).status == NO_DATA and count_only("x", count=2).status == MET


def test_aspects_combine_short_wins_no_data_alone_is_never_met():
    met, short, none = rate("a", good=1, total=1), rate("b", good=0, total=1), Evidence.none("c")
    assert combined_status([met, none]) == MET
    assert combined_status([met, short, none]) == SHORT
    assert combined_status([none, none]) == NO_DATA and combined_status([]) == NO_DATA


def test_period_bounds_cover_whole_local_days():
    period = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    start, end = period.bounds
    assert (start.date(), end.date(), start.hour, end.hour) == (dt.date(2026, 3, 1), dt.date(2026, 4, 1), 0, 0)
    assert period.dates("d") == {"d__gte": dt.date(2026, 3, 1), "d__lte": dt.date(2026, 3, 31)}
