"""Viewset behaviours every API shares: org scoping, Idempotency-Key on create, version checks on update."""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from ..exceptions import ConflictError, DomainError
from ..models import IdempotencyRecord

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Retry-safe create: the same key with the same body replays the first response.",
)


class ScopedQuerysetMixin:
    """`get_queryset()` goes through `.visible_to(request.user)`; out of scope is 404."""

    def get_queryset(self):
        return self.get_base_queryset().visible_to(self.request.user)

    def get_base_queryset(self):
        return self.queryset.all()


def query_budget_for(view, request):
    """The query cap a request to `view` is held to under `QUERY_BUDGETS` (issue 17): a document's create
    (`create_max_queries` of the viewset or its workflow, else the kernel default) or one of its workflow's
    actions (the action's `max_queries`, else the default); nothing for other requests. The whole request
    counts — token lookup, permissions, the service, the answer — as the API's caller pays for it all."""
    from contextlib import nullcontext

    from ..workflow import budgets_on, create_cap, query_budget

    if not budgets_on():
        return nullcontext()
    name = (getattr(view, "action_map", None) or {}).get(request.method.lower())
    workflow = getattr(view, "workflow", None)
    if name == "create" and hasattr(view, "create_object"):
        model = getattr(getattr(view, "queryset", None), "model", None)
        label = workflow.model_label if workflow is not None else model._meta.label if model else type(view).__name__
        return query_budget(label, "create", create_cap(workflow, view))
    if name and name.startswith("act_") and workflow is not None:
        for declared in workflow.actions.values():
            if declared.method_name == name:
                return query_budget(workflow.model_label, declared.name, declared.query_cap)
    return nullcontext()


class IdempotentCreateMixin:
    """A create carrying `Idempotency-Key` runs once; a retry gets the stored response.

    The same key with a different body is refused (422), as is a key still in flight (409). Under
    `QUERY_BUDGETS` a create is held to its query cap (issue 17, `query_budget_for`).
    """

    def dispatch(self, request, *args, **kwargs):
        with query_budget_for(self, request):
            return super().dispatch(request, *args, **kwargs)

    def create_object(self, request):  # pragma: no cover - each viewset implements it
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return self.create_object(request)
        if len(key) > 100:
            raise DomainError("idempotency.key_too_long", _("Idempotency-Key 不能超过 100 个字符"))
        body_hash = hashlib.sha256(
            json.dumps(request.data, sort_keys=True, default=str).encode() + request.path.encode()
        ).hexdigest()
        existing = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
        if existing is not None:
            return self._replay(existing, body_hash)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=request.user, key=key, path=request.path[:300], request_hash=body_hash
                )
                response = self.create_object(request)
                if response.status_code >= 400:
                    raise _Rollback(response)
                record.status_code = response.status_code
                record.response_body = json.loads(json.dumps(response.data, default=str))
                record.save(update_fields=["status_code", "response_body"])
        except _Rollback as rollback:
            return rollback.response
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
            if existing is None:
                raise
            return self._replay(existing, body_hash)
        return response

    @staticmethod
    def _replay(record, body_hash):
        if record.request_hash != body_hash:
            error = DomainError(
                "idempotency.key_reused",
                _("该 Idempotency-Key 已用于另一个请求"),
                fields={"Idempotency-Key": [key_msg()]},
            )
            error.status_code = 422
            raise error
        if record.status_code is None:
            raise ConflictError("idempotency.in_progress", _("相同 Idempotency-Key 的请求正在处理中"))
        response = Response(record.response_body, status=record.status_code)
        response["Idempotent-Replayed"] = "true"
        return response


def key_msg():
    return _("请求内容与首次不同")


class _Rollback(Exception):
    def __init__(self, response):
        self.response = response


def if_match_version(request) -> int | None:
    """The version in `If-Match` (`"3"`, `W/"3"` or `3`); None without the header; 400 when not a version."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        return None
    raw = raw.removeprefix("W/").strip('"')
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise DomainError("version.invalid", _("If-Match 须为记录版本号"), fields={"If-Match": [_("无效")]})
    return int(raw)


class OptimisticUpdateMixin:
    """Updates must carry the `version` they were based on (body field or `If-Match` header).

    The write is `UPDATE … WHERE id = ? AND version = ?`; zero rows means someone else
    saved first → 409 `conflict.stale`, and nothing changes.

    Issue 12 §4, for every viewset at once: a PATCH or item action that sends `If-Match` and no body
    `version` is read as if the body carried it (so input serializers that require `version` accept
    it), and a response holding a record's `version` carries it as a weak `ETag` to send back.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("PATCH", "PUT") and not (request.method == "POST" and self.kwargs.get("pk")):
            return
        version = if_match_version(request)
        data = request.data
        if version is None or not hasattr(data, "get") or data.get("version") not in (None, ""):
            return
        if hasattr(data, "copy") and not isinstance(data, dict):  # an immutable QueryDict (form posts)
            data = data.copy()
        data["version"] = version
        request._full_data = data

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            self.kwargs.get("pk")
            and 200 <= response.status_code < 300
            and isinstance(data, dict)
            and isinstance(data.get("version"), int)
        ):
            response["ETag"] = f'W/"{data["version"]}"'
        return response

    def expected_version(self, request) -> int:
        raw = request.data.get("version") if hasattr(request.data, "get") else None
        if raw is None:
            raw = if_match_version(request)
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise DomainError(
                "version.required",
                _("更新时必须提供记录版本 version（或 If-Match 头）"),
                fields={"version": [_("必填")]},
            ) from None
