"""The page action handler every document's actions share (derived from its `Workflow`).

`POST <record>/<action>/`: find the record in the user's scope (else 404), parse the action's form,
run the action's service with the version the page was rendered with, and go back to the record with a
success message — or with the refusal's Chinese message (and its code as a message tag).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from ..exceptions import DomainError


def build_form(action, obj, user, data=None, files=None):
    """The action's page form, bound when `data` is given. A form class may define
    `for_action(obj=, user=, data=, files=)` to take the record (choices, initial values)."""
    form_class = action.get_form()
    if form_class is None:
        return None
    if hasattr(form_class, "for_action"):
        return form_class.for_action(obj=obj, user=user, data=data, files=files)
    return form_class(data, files) if data is not None else form_class()


def form_values(form) -> dict:
    """What the service takes from a valid form: `service_kwargs()` if the form defines it."""
    if form is None:
        return {}
    if hasattr(form, "service_kwargs"):
        return form.service_kwargs()
    return dict(form.cleaned_data)


def form_error(form) -> DomainError:
    errors = form.errors
    first = next(iter(errors.values()))[0] if errors else _("输入有误")
    field = next(iter(errors), "")
    label = form.fields[field].label if field in form.fields else ""
    message = f"{label}：{first}" if label else str(first)
    return DomainError("form.invalid", message, fields={k: [str(e) for e in v] for k, v in errors.items()})


def record_url(workflow, obj) -> str:
    if workflow.detail_url:
        return reverse(workflow.detail_url, args=[obj.pk])
    return obj.get_absolute_url()


def workflow_action_view(workflow):
    @login_required
    @require_POST
    def view(request, pk, action):
        if action not in workflow.actions or not workflow.actions[action].page:
            raise Http404
        declared = workflow.actions[action]
        model = workflow.model
        if not request.user.has_perm(workflow.view_permission):
            raise PermissionDenied
        queryset = model._default_manager.visible_to(request.user)
        obj = queryset.select_related(*workflow.related).filter(pk=pk).first()
        if obj is None:
            raise Http404
        raw_version = request.POST.get("version", "")
        version = int(raw_version) if raw_version.isdigit() else None
        try:
            form = build_form(declared, obj, request.user, request.POST, request.FILES)
            if form is not None and not form.is_valid():
                raise form_error(form)
            result = workflow.run(
                action, actor=request.user, obj=obj, values=form_values(form), expected_version=version
            )
        except DomainError as error:
            messages.error(request, error.message, extra_tags=f"code:{error.code}")
            return redirect(record_url(workflow, obj))
        if isinstance(result, HttpResponseBase):
            return result
        after = declared.get_after()
        if after is not None:
            response = after(request, obj, result)
            if response is not None:
                return response
        success = declared.success(result) if callable(declared.success) else declared.success
        if success:
            messages.success(request, success)
        return redirect(record_url(workflow, obj))

    view.workflow = workflow
    return view


class DocumentDetailView(LoginRequiredMixin, TemplateView):
    """A record's page for a document without one of its own: fields, status badge, the actions the user may
    take (from the workflow), the timeline and field history. Out of scope is 404."""

    template_name = "core/document_detail.html"
    workflow = None

    def get_context_data(self, **kwargs):
        from .pages import audit_history

        model = self.workflow.model
        if not self.request.user.has_perm(self.workflow.view_permission):
            raise PermissionDenied
        obj = model._default_manager.visible_to(self.request.user).filter(pk=kwargs["pk"]).first()
        if obj is None:
            raise Http404
        hidden = {"id", "version", self.workflow.field}
        fields = [
            (field.verbose_name, getattr(obj, f"get_{field.name}_display", lambda f=field: getattr(obj, f.name))())
            for field in model._meta.concrete_fields
            if field.name not in hidden and not field.name.endswith("_hash")
        ]
        return {
            **super().get_context_data(**kwargs),
            "obj": obj,
            "title": str(obj),
            "fields": fields,
            **audit_history(obj),
        }
