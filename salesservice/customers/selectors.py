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
