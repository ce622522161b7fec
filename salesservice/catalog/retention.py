"""How long records about a product must be kept (TRC-4; 医疗器械经营监督管理办法 on record keeping).

Receipt-inspection and sales records of a medical device are kept until 2 years after the device's expiry,
at least 5 years when it has none; those of implantable devices for ever. Records about products that are
not medical devices have no such period (`None`).

The device's expiry is not recorded per unit: it is taken as the purchase date (else the record's date) plus
the product's shelf life. A unit was made before it was bought, so this date is never earlier than the real
expiry — the period computed is never too short.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.personal_data import Retention


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def record_retention(product, *, recorded: dt.date, purchased: dt.date | None = None) -> Retention | None:
    """The retention of a record about `product` made on `recorded` (its latest date: closing, else creation)."""
    if product is None or not product.is_medical_device:
        return None
    if product.is_implantable:
        return Retention(None, _("植入类医疗器械：永久保存（TRC-4）"))
    if product.shelf_life_tracked and product.shelf_life_days:
        expiry = (purchased or recorded) + dt.timedelta(days=product.shelf_life_days)
        return Retention(add_years(expiry, 2), _("医疗器械：保存至有效期满后 2 年（TRC-4）"))
    return Retention(add_years(recorded, 5), _("医疗器械（无有效期）：保存不少于 5 年（TRC-4）"))


def latest_day(*moments) -> dt.date:
    """The latest of the given dates / datetimes (None skipped), as a local date."""
    return max(_day(moment) for moment in moments if moment is not None)


def _day(moment) -> dt.date:
    if isinstance(moment, dt.datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment
