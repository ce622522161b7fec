"""May this product be sold on this date? (PRD-1: seed 002 §6.2 "以下产品不得销售"; PRD-2.)

`product_sellability(product, at)` returns *every* reason, each with a stable `code` and a
Chinese `message`; an empty list means sellable. The reasons are of two kinds:

* QA flags (`ProductRestriction`) in force on `at` — the cases only an inspection can establish
  (banned by law, safety standard not met, false quality marks, counterfeit or used-as-new,
  stated performance not met);
* derived from the product's recorded attributes — no certificate of conformity, production
  licence required but missing, no name/manufacturer/origin, a medical device without a
  registration/filing number, with an expired one, or without a Chinese label.

Cost: no query when the product's `restrictions` are prefetched (`with_restrictions()` or
`product_sellability_many()`), else one query. Later flows (order confirmation, shipment
release) call `product_sellability` / `is_sellable` before they commit.
`sellable_q(at)` expresses the same rules as a SQL condition for filtering lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.reasons import Reason

from .choices import DerivedReason, DeviceClass, RestrictionReason


def day_end(at: dt.date) -> dt.datetime:
    """The aware instant the local day `at` ends: a flag set during that day counts on it,
    a flag lifted during that day no longer does."""
    midnight = dt.datetime.combine(at + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(midnight, timezone.get_current_timezone())


def _flag_active(restriction, end: dt.datetime) -> bool:
    return restriction.set_at < end and (restriction.lifted_at is None or restriction.lifted_at >= end)


def derived_reasons(product, at: dt.date) -> list[Reason]:
    """The reasons that follow from the product's attributes alone (no query)."""
    reasons: list[Reason] = []
    medical = product.device_class != DeviceClass.NONE
    if not product.has_certificate_of_conformity:
        reasons.append(Reason(DerivedReason.NO_CERTIFICATE, str(DerivedReason.NO_CERTIFICATE.label)))
    if product.production_licence_required and not (product.production_licence_no or "").strip():
        reasons.append(
            Reason(DerivedReason.PRODUCTION_LICENCE_MISSING, str(DerivedReason.PRODUCTION_LICENCE_MISSING.label))
        )
    missing = [
        label
        for label, value in (
            (_("产品名称"), product.name),
            (_("生产者"), product.manufacturer),
            (_("产地"), product.origin),
        )
        if not (value or "").strip()
    ]
    if missing:
        reasons.append(
            Reason(DerivedReason.MISSING_IDENTITY, _("未标注%(fields)s") % {"fields": "、".join(map(str, missing))})
        )
    if medical and not (product.registration_no or "").strip():
        reasons.append(Reason(DerivedReason.REGISTRATION_MISSING, str(DerivedReason.REGISTRATION_MISSING.label)))
    if product.registration_expiry is not None and product.registration_expiry < at:
        reasons.append(
            Reason(
                DerivedReason.REGISTRATION_EXPIRED,
                _("注册证/备案凭证 %(no)s 已于 %(date)s 过期")
                % {"no": product.registration_no or "", "date": product.registration_expiry.isoformat()},
            )
        )
    if medical and not product.has_chinese_label:
        reasons.append(Reason(DerivedReason.NO_CHINESE_LABEL, str(DerivedReason.NO_CHINESE_LABEL.label)))
    return reasons


def flag_reasons(restrictions: Iterable, at: dt.date) -> list[Reason]:
    """The QA flags among `restrictions` that are in force on `at`, oldest first."""
    end = day_end(at)
    active = sorted((r for r in restrictions if _flag_active(r, end)), key=lambda r: (r.set_at, r.pk or 0))
    return [
        Reason(
            r.reason_code,
            f"{RestrictionReason(r.reason_code).label}：{r.reason}"
            if r.reason
            else str(RestrictionReason(r.reason_code).label),
        )
        for r in active
    ]


def product_sellability(product, at: dt.date | None = None) -> list[Reason]:
    """Every reason `product` may not be sold on local date `at` (default today); [] = sellable.

    QA flags first (in the order they were set), then the derived reasons. Uses the prefetched
    `restrictions` when present, else one query.
    """
    at = at or timezone.localdate()
    cache = getattr(product, "_prefetched_objects_cache", {})
    if "restrictions" in cache:
        restrictions = cache["restrictions"]
    else:
        restrictions = product.restrictions.active_at(at)
    return flag_reasons(restrictions, at) + derived_reasons(product, at)


def is_sellable(product, at: dt.date | None = None) -> bool:
    """True when `product_sellability(product, at)` finds no reason."""
    return not product_sellability(product, at)


def with_restrictions(queryset):
    """Prefetch every product's restriction flags, so `product_sellability` runs without queries."""
    from .models import ProductRestriction

    return queryset.prefetch_related(Prefetch("restrictions", queryset=ProductRestriction.objects.order_by("set_at")))


def product_sellability_many(products: Iterable, at: dt.date | None = None) -> dict[int, list[Reason]]:
    """Reasons for many products with one query (e.g. the lines of an order): {product id: reasons}."""
    from .models import ProductRestriction

    at = at or timezone.localdate()
    products = list(products)
    flags: dict[int, list] = {p.pk: [] for p in products}
    for restriction in ProductRestriction.objects.active_at(at).filter(product__in=[p.pk for p in products]):
        flags[restriction.product_id].append(restriction)
    return {p.pk: flag_reasons(flags[p.pk], at) + derived_reasons(p, at) for p in products}


def unsellable_q(at: dt.date | None = None) -> Q:
    """The same rules as one SQL condition on Product: matches the products NOT sellable on `at`."""
    from .models import ProductRestriction

    at = at or timezone.localdate()
    medical = ~Q(device_class=DeviceClass.NONE)
    flagged = Exists(ProductRestriction.objects.active_at(at).filter(product=OuterRef("pk")))
    return (
        Q(has_certificate_of_conformity=False)
        | Q(production_licence_required=True, production_licence_no="")
        | Q(name="")
        | Q(manufacturer="")
        | Q(origin="")
        | (medical & Q(registration_no=""))
        | Q(registration_expiry__lt=at)
        | (medical & Q(has_chinese_label=False))
        | Q(flagged)
    )


def sellable_q(at: dt.date | None = None) -> Q:
    """Products sellable on `at` (the negation of `unsellable_q`)."""
    return ~unsellable_q(at)
