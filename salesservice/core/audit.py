"""Audit plumbing: every django-auditlog entry carries who, from where, through which channel.

The actor comes from our request context, not from django-auditlog's middleware, because
DRF authenticates a token inside the view (after middleware), and services called from
jobs or commands have no request at all — `service` binds their `actor` argument instead.
"""

import functools

from django.db import transaction

from . import context


def fill_log_entry(sender, instance, **kwargs):
    """pre_save of auditlog's LogEntry: fill actor, IP, request id and channel from the context."""
    ctx = context.current()
    user = ctx.user
    if instance.actor_id is None and user is not None and getattr(user, "is_authenticated", False):
        instance.actor = user
        instance.actor_email = getattr(user, "email", None)
    if not instance.remote_addr and ctx.remote_addr:
        instance.remote_addr = ctx.remote_addr
    if not instance.cid:
        instance.cid = ctx.request_id
    data = dict(instance.additional_data or {})
    data.setdefault("via", ctx.via)
    instance.additional_data = data


def service(func):
    """Decorator for services: one transaction, and the `actor` keyword bound as the audit actor."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        actor = kwargs.get("actor")
        with context.acting(actor), transaction.atomic():
            return func(*args, **kwargs)

    return wrapper
