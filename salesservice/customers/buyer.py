"""May this customer buy this product on this date? (购货者资格审查, BUY-1; seed 004 §4.1.3)

The answer is the list of reasons it may not — empty means it may. Later flows (order review,
delivery release) call `buyer_check` before a sale is confirmed; it only needs the product's
`device_class` ("none", "I", "II", "III" — catalog's DeviceClass).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.reasons import Reason

from .choices import CustomerType, QualificationKind
from .models import Customer, Qualification

K = QualificationKind

# Documents that allow buying each device class, and whether the document must list the class
# in its scope. Class I needs only a business licence (or, for a hospital, its institution
# licence); class II an operating licence or filing (备案) covering II; class III an operating
# licence covering III. A medical institution's practising licence counts for what it lists.
REQUIREMENTS: dict[str, list[tuple[str, bool]]] = {
    "I": [(K.BUSINESS_LICENCE, False), (K.MEDICAL_INSTITUTION_LICENCE, False)],
    "II": [(K.DEVICE_FILING, True), (K.DEVICE_OPERATING_LICENCE, True), (K.MEDICAL_INSTITUTION_LICENCE, True)],
    "III": [(K.DEVICE_OPERATING_LICENCE, True), (K.MEDICAL_INSTITUTION_LICENCE, True)],
}


def _as_date(at) -> dt.date:
    if at is None:
        return timezone.localdate()
    if isinstance(at, dt.datetime):
        return timezone.localdate(at) if timezone.is_aware(at) else at.date()
    return at


def _kind_names(kinds) -> str:
    return "、".join(str(QualificationKind(kind).label) for kind in kinds)


def buyer_check(customer: Customer, product, at=None, *, qualifications=None) -> list[Reason]:
    """Every reason `customer` may not buy `product` on `at` (a date or aware datetime; default today).

    Individuals buy without a qualification; enterprises, hospitals and dealers buying a medical
    device need a qualification valid on that day whose kind and scope cover the device class.
    Codes: customer.anonymised, customer.inactive, qualification.missing, qualification.expired,
    qualification.not_yet_valid, qualification.class_out_of_scope.
    `qualifications` may be passed pre-fetched (a list of the customer's qualifications).
    """
    day = _as_date(at)
    reasons: list[Reason] = []
    if customer.is_anonymised:
        reasons.append(Reason("customer.anonymised", _("该客户已匿名化，不能再向其销售")))
    elif not customer.is_active:
        reasons.append(Reason("customer.inactive", _("该客户已停用")))
    device_class = str(getattr(product, "device_class", "") or "none")
    if device_class not in REQUIREMENTS or customer.customer_type == CustomerType.INDIVIDUAL:
        return reasons
    accepted = REQUIREMENTS[device_class]
    accepted_kinds = {kind for kind, _scoped in accepted}
    needs_scope = dict(accepted)
    if qualifications is None:
        qualifications = list(Qualification.objects.filter(customer=customer, kind__in=accepted_kinds))
    candidates = [q for q in qualifications if q.kind in accepted_kinds]
    class_label = {"I": _("第一类"), "II": _("第二类"), "III": _("第三类")}[device_class]
    if not candidates:
        reasons.append(
            Reason(
                "qualification.missing",
                _("购买%(cls)s医疗器械需要有效的%(kinds)s，该客户没有登记")
                % {"cls": class_label, "kinds": _kind_names(accepted_kinds)},
            )
        )
        return reasons

    def covers(q: Qualification) -> bool:
        return not needs_scope[q.kind] or device_class in q.classes

    valid_today = [q for q in candidates if q.is_valid_on(day)]
    if any(covers(q) for q in valid_today):
        return reasons
    covering = [q for q in candidates if covers(q)]
    expired = [q for q in covering if q.valid_until is not None and q.valid_until < day]
    future = [q for q in covering if q.valid_from > day]
    if expired:
        latest = max(expired, key=lambda q: q.valid_until)
        reasons.append(
            Reason(
                "qualification.expired",
                _("%(kind)s（%(number)s）已于 %(date)s 过期，不能购买%(cls)s医疗器械")
                % {
                    "kind": latest.get_kind_display(),
                    "number": latest.number,
                    "date": latest.valid_until.isoformat(),
                    "cls": class_label,
                },
            )
        )
    elif future:
        first = min(future, key=lambda q: q.valid_from)
        reasons.append(
            Reason(
                "qualification.not_yet_valid",
                _("%(kind)s（%(number)s）自 %(date)s 起才生效")
                % {"kind": first.get_kind_display(), "number": first.number, "date": first.valid_from.isoformat()},
            )
        )
    if valid_today and not expired:
        q = valid_today[0]
        reasons.append(
            Reason(
                "qualification.class_out_of_scope",
                _("%(kind)s（%(number)s）的经营范围为“%(scope)s”，不含%(cls)s医疗器械")
                % {
                    "kind": q.get_kind_display(),
                    "number": q.number,
                    "scope": q.scope_classes or _("未登记类别"),
                    "cls": class_label,
                },
            )
        )
    elif not expired and not future:
        # Only documents that never covered the class (valid or not): out of scope.
        q = candidates[0]
        reasons.append(
            Reason(
                "qualification.class_out_of_scope",
                _("%(kind)s（%(number)s）的经营范围不含%(cls)s医疗器械")
                % {"kind": q.get_kind_display(), "number": q.number, "cls": class_label},
            )
        )
    return reasons


def may_buy(customer: Customer, product, at=None) -> bool:
    """True when `buyer_check` finds no reason to refuse."""
    return not buyer_check(customer, product, at)
