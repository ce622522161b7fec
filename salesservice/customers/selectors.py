"""Scoped reads of customers: the list with its joins, search by Chinese / pinyin / initials / code / phone."""

from django.db.models import Prefetch, Q, QuerySet

from .models import Contact, Customer, CustomerTag
from .pinyin import normalise_query


def customer_list(user) -> QuerySet:
    """Customers `user` may see, with what a list row shows (no N+1)."""
    return (
        Customer.objects.visible_to(user)
        .select_related("store", "sales_rep")
        .prefetch_related(Prefetch("tags", queryset=CustomerTag.objects.order_by("name")))
    )


def customer_search(queryset: QuerySet, query: str) -> QuerySet:
    """Match the name (Chinese), full pinyin, pinyin initials, code, or a phone number exactly.

    Typing "shrj" finds 上海瑞金医院; "ruijin" and "瑞金" do too. Phone numbers match exactly
    (also a contact's), so a partial number reveals nothing about masked data.
    """
    query = (query or "").strip()
    if not query:
        return queryset
    condition = Q(name__icontains=query) | Q(code__icontains=query)
    key = normalise_query(query)
    if key and key == query.lower().replace(" ", ""):  # only Latin letters / digits: a pinyin key
        condition |= Q(pinyin_full__contains=key) | Q(pinyin_initials__contains=key)
    if any(ch.isdigit() for ch in query):
        contact_match = Contact.objects.filter(phone=query).values("customer_id")
        condition |= Q(phone=query) | Q(pk__in=contact_match)
    return queryset.filter(condition)


def consent_withdrawn_customers(purpose: str) -> QuerySet:
    """Ids (a subquery) of customers who withdrew their consent to `purpose` — or to the processing of
    their data at all — and have not given it again (INF-1, PIPL §15; issue 12 §10). Contact for that
    purpose (a follow-up call, a survey, marketing) is not made to them."""
    from django.db.models import Exists, OuterRef

    from .choices import ConsentPurpose
    from .models import Consent

    given_again = Consent.objects.filter(
        customer=OuterRef("customer"), purpose=OuterRef("purpose"), withdrawn_at__isnull=True
    )
    return (
        Consent.objects.filter(purpose__in={purpose, ConsentPurpose.DATA_PROCESSING}, withdrawn_at__isnull=False)
        .exclude(Exists(given_again))
        .values("customer_id")
    )


def consent_withdrawn(customer, purpose: str) -> bool:
    """Whether `customer` (or its id) withdrew consent to `purpose` (see `consent_withdrawn_customers`)."""
    customer_id = getattr(customer, "pk", customer)
    return consent_withdrawn_customers(purpose).filter(customer_id=customer_id).exists()
