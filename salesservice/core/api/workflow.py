"""API action endpoints derived from a document's `Workflow` (DESIGN §6: state changes are POST actions).

A viewset with `workflow = SOME_WORKFLOW` gets, for every action of it with `api=True`,
`POST /<plural>/{id>/<action name>/`: the record is fetched in the caller's scope (404 otherwise), the
body parsed with the action's serializer (400 with field errors), the version taken from the body's
`version` or `If-Match`, the action's service run, and the record answered with the viewset's
`action_response(obj)` (or the action's own response serializer). drf-spectacular documents each
operation with its request body and error responses from the same declaration.
"""

from django.utils.module_loading import import_string
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response

from .mixins import if_match_version, query_budget_for
from .plans import represent
from .viewsets import ERROR_RESPONSES, FORBIDDEN, ActionDocumentViewSet


def _errors(action) -> dict:
    codes = ["`status.invalid_transition`（当前状态不允许）", "`conflict.stale`（版本过期）"]
    codes += [f"`{guard.code}`（{guard.message}）" for guard in action.guards]
    codes += [f"`{code}`（{text}）" for code, text in action.errors.items()]
    return {**FORBIDDEN, **ERROR_RESPONSES, 409: OpenApiResponse(description="；".join(codes))}


def _resolve_serializer(ref):
    return import_string(ref) if isinstance(ref, str) else ref


def version_from(request, values: dict):
    """The version the caller saw: body `version`, else `If-Match` (`"3"`, `W/"3"` or `3`); None if neither."""
    version = values.pop("version", None)
    return if_match_version(request) if version is None else version


def _endpoint(workflow, declared, tags):
    input_serializer = declared.get_serializer()

    def endpoint(self, request, pk=None):
        obj = self.get_object()
        values = {}
        if input_serializer is not None:
            data = input_serializer(data=request.data, context=self.get_serializer_context())
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            if hasattr(data, "service_kwargs"):
                values = data.service_kwargs(values)
        version = version_from(request, values) if declared.versioned else values.pop("version", None)
        result = workflow.run(declared.name, actor=request.user, obj=obj, values=values, expected_version=version)
        return self.action_response(declared, obj, result)

    endpoint.__name__ = declared.method_name
    endpoint.__doc__ = str(declared.summary or declared.label)
    response = _resolve_serializer(declared.response_serializer)
    schema = extend_schema(
        tags=tags,
        summary=str(declared.summary or declared.label),
        request=input_serializer,
        responses={declared.response_status: response or serializers.Serializer, **_errors(declared)},
    )
    routed = drf_action(detail=True, methods=["post"], url_path=declared.name, url_name=declared.name)(endpoint)
    return schema, routed


class WorkflowActionsMixin:
    """Adds the workflow's action endpoints to a viewset. Set `workflow`, `workflow_tags` and
    `workflow_response` (the detail serializer the actions answer with); override `action_response` to
    answer differently (e.g. re-read with prefetches)."""

    workflow = None
    workflow_tags: list[str] = []
    workflow_response = None
    workflow_permissions: dict = {}

    def dispatch(self, request, *args, **kwargs):
        # Issue 17: under `QUERY_BUDGETS` each action request is held to its action's `max_queries` (or the default).
        with query_budget_for(self, request):
            return super().dispatch(request, *args, **kwargs)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        workflow = cls.__dict__.get("workflow")
        if workflow is None:
            return
        perms = dict(getattr(cls, "required_perms", {}) or {})
        for declared in workflow.actions.values():
            if not declared.api or declared.method_name in cls.__dict__:
                continue
            schema, routed = _endpoint(workflow, declared, cls.workflow_tags or None)
            if declared.response_serializer is None and cls.workflow_response is not None:
                schema = extend_schema(
                    tags=cls.workflow_tags or None,
                    summary=str(declared.summary or declared.label),
                    request=declared.get_serializer(),
                    responses={
                        declared.response_status: _resolve_serializer(cls.workflow_response),
                        **_errors(declared),
                    },
                )
            setattr(cls, declared.method_name, schema(routed))
            if declared.permission and declared.method_name not in perms:
                perms[declared.method_name] = [declared.permission]
        if perms:
            cls.required_perms = perms

    def action_response(self, declared, obj, result):
        """The answer of an action: the record as the action's (or the viewset's) response serializer shows it."""
        serializer = declared.response_serializer or self.workflow_response
        if isinstance(serializer, str):
            serializer = import_string(serializer)
        instance = result if isinstance(result, type(obj)) else obj
        if instance is obj and result is not obj:
            obj.refresh_from_db()
        data = represent(serializer, instance, self.get_serializer_context())
        return Response(data, status=declared.response_status)

    def respond(self, obj, code=200):
        """The record re-read in the caller's scope (`get_queryset`, with its joins and prefetches) and shown by
        `workflow_response` — what a create or an action of a document answers."""
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(represent(self.workflow_response, fresh, self.get_serializer_context()), status=code)


# A document viewset (comment, not docstring: spectacular publishes a base's docstring): GET and POST only
# (state changes are workflow actions), and every action answered with the record re-read in scope.
class WorkflowDocumentViewSet(WorkflowActionsMixin, ActionDocumentViewSet):
    http_method_names = ["get", "post", "head", "options"]

    def action_response(self, declared, obj, result):
        return self.respond(obj, declared.response_status)


def workflow_viewset(workflow, output_serializer, *, tags: list[str] | None = None, filterset_fields=()):
    """A read-and-act viewset for a document: list and retrieve in the caller's scope, plus the workflow's
    action endpoints. For documents whose API needs nothing more (creation goes through their own service)."""
    from rest_framework import mixins, viewsets

    from .mixins import ScopedQuerysetMixin
    from .viewsets import ModelPermissions

    model = workflow.model

    class ReadPermissions(ModelPermissions):
        """Reads need `view_*`; actions are checked by the workflow (the action's own permission)."""

        def has_permission(self, request, view):
            if view.action and view.action.startswith("act_"):
                return bool(request.user and request.user.is_authenticated)
            return super().has_permission(request, view)

    attrs = {
        "queryset": model._default_manager.all(),
        "serializer_class": output_serializer,
        "permission_classes": [ReadPermissions],
        "workflow": workflow,
        "workflow_tags": tags or [model._meta.app_label],
        "workflow_response": output_serializer,
        "filterset_fields": list(filterset_fields),
        "__module__": __name__,
    }
    bases = (WorkflowActionsMixin, ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin)
    return type(f"{model.__name__}ViewSet", (*bases, viewsets.GenericViewSet), attrs)
