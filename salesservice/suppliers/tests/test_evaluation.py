"""SUP-1 evaluation: seven criteria, weights from policy summing to 100, scores computed from the registered
execution figures (SUP-5) or entered, standing bands; an empty period keeps the last standing."""

import datetime as dt
from decimal import Decimal

import pytest

from salesservice.core.exceptions import ConflictError, DomainError, PermissionDeniedError
from salesservice.core.models import Notification
from salesservice.core.policy import policy_set
from salesservice.documents.testing import approved_version
from salesservice.suppliers import metrics, services
from salesservice.suppliers.choices import Standing
from salesservice.suppliers.tests.factories import supplier as make_supplier

START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
ENTERED = {"qualification": 90, "reputation": 90, "certification": 90, "brand": 90}


def evaluate(supplier, actor=None, scores=ENTERED, start=START, end=END):
    return services.evaluation_record(actor=actor, supplier=supplier, period_start=start, period_end=end, scores=scores)


def test_scores_computed_from_figures_and_entered_give_total_and_band(demo, users, figures):
    """Product quality ← pass rate less 10 per NC; capacity ← complete lines; service ← on-time lines."""
    supplier = make_supplier()
    figures(
        {
            supplier.pk: {
                "received_quantity": 100,
                "accepted_quantity": 95,
                "due_lines": 10,
                "on_time_lines": 8,
                "complete_lines": 10,
                "nc_count": 1,
            }
        }
    )
    evaluation = evaluate(supplier, users["qa_inspector"])
    scores = {key: (row["score"], row["source"]) for key, row in evaluation.scores.items()}
    assert scores["product_quality"] == ("85.0", "computed")
    assert scores["capacity"] == ("100.0", "computed")
    assert scores["service"] == ("80.0", "computed")
    assert scores["brand"] == ("90.0", "entered")
    # 90*(15+10+10+10) + 85*25 + 100*15 + 80*15 = 4050 + 2125 + 1500 + 1200 = 8875 → 88.8
    assert evaluation.total == Decimal("88.8")
    assert evaluation.band == Standing.QUALIFIED
    supplier.refresh_from_db()
    assert supplier.standing == Standing.QUALIFIED
    assert supplier.standing_note.startswith("总分 88.8")


def test_figures_of_all_sources_are_added(figures):
    supplier = make_supplier()
    figures({supplier.pk: {"received_quantity": 10, "accepted_quantity": 10, "due_lines": 1, "on_time_lines": 1}})
    figures({supplier.pk: {"received_quantity": 10, "accepted_quantity": 5, "nc_count": 2}})
    figures({})
    total = metrics.figures(supplier, START, END)
    assert total["received_quantity"] == 20 and total["accepted_quantity"] == 15 and total["nc_count"] == 2
    assert metrics.figures(make_supplier(), START, END) is None


def test_low_total_disqualifies_and_notifies_purchasing(demo, users):
    supplier = make_supplier()
    evaluation = evaluate(supplier, scores={key: 40 for key in ("qualification", "reputation", "capacity",
                                                                "product_quality", "certification", "brand", "service")})  # fmt: skip
    assert evaluation.band == Standing.DISQUALIFIED
    assert Notification.objects.filter(recipient=users["purchaser"], kind="suppliers.evaluated").exists()


def test_middle_total_is_conditional():
    evaluation = evaluate(make_supplier(), scores={"qualification": 70, "reputation": 65})
    assert evaluation.band == Standing.CONDITIONAL
    assert "未评分" in evaluation.summary  # partly scored: says so and re-weights


def test_empty_period_keeps_the_last_standing_and_says_so():
    """Unlike a scorecard that scores zero: no deliveries and nothing entered → last standing kept."""
    supplier = make_supplier()
    evaluate(supplier, scores={"qualification": 70, "reputation": 65})
    supplier.refresh_from_db()
    assert supplier.standing == Standing.CONDITIONAL
    empty = evaluate(supplier, scores={}, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30))
    assert empty.empty and empty.total is None and empty.band == ""
    assert empty.standing_after == Standing.CONDITIONAL
    assert "沿用上期评价结果" in empty.summary and "有条件合格" in empty.summary
    supplier.refresh_from_db()
    assert supplier.standing == Standing.CONDITIONAL


def test_weights_not_summing_to_100_are_refused(demo, users):
    policy_set(
        actor=users["admin"],
        key="suppliers.evaluation_weights",
        value={"qualification": 50, "reputation": 10, "capacity": 10, "product_quality": 10, "certification": 10,
               "brand": 10, "service": 10},
        reason="测试",
        document_version=approved_version("SUP-1"),  # DOC-1
    )  # fmt: skip
    with pytest.raises(DomainError) as error:
        evaluate(make_supplier())
    assert error.value.code == "suppliers.weights_invalid"


def test_same_period_twice_is_a_conflict():
    supplier = make_supplier()
    evaluate(supplier)
    with pytest.raises(ConflictError) as error:
        evaluate(supplier)
    assert error.value.code == "suppliers.evaluation_exists"


@pytest.mark.parametrize(
    "scores, start, end, code",
    [
        ({"qualification": 101}, START, END, "suppliers.invalid_score"),
        ({"price": 80}, START, END, "suppliers.invalid_score"),
        ({}, END, START, "suppliers.invalid_period"),
        ({}, dt.date(2999, 1, 1), dt.date(2999, 2, 1), "suppliers.invalid_period"),
    ],
)
def test_bad_input_is_refused(scores, start, end, code):
    with pytest.raises(DomainError) as error:
        evaluate(make_supplier(), scores=scores, start=start, end=end)
    assert error.value.code == code


def test_an_older_period_evaluated_late_does_not_overwrite_the_standing():
    supplier = make_supplier()
    evaluate(supplier, scores={"qualification": 95}, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30))
    late = evaluate(supplier, scores={"qualification": 30})
    assert late.band == Standing.DISQUALIFIED and late.standing_after == Standing.QUALIFIED
    supplier.refresh_from_db()
    assert supplier.standing == Standing.QUALIFIED


def test_evaluation_needs_permission(demo, users):
    with pytest.raises(PermissionDeniedError):
        evaluate(make_supplier(), users["xuhui_cs"])
