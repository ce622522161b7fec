"""Forms of the supervision pages: plan a check with its checklist, complete it item by item (SUV-2), rectify
and verify a finding, open and resolve a cross-department issue (COM-1). Each parses input for one service."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.choices import OrgUnitKind
from salesservice.core.models import OrgUnit, User
from salesservice.core.scoping import visible_unit_ids

from .choices import CheckMethod, ItemResult, Severity


def styled(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")
    return form


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


def _units(user):
    queryset = OrgUnit.objects.order_by("path")
    ids = visible_unit_ids(user)
    return queryset if ids is None else queryset.filter(pk__in=ids)


def _people(user):
    """Users the actor may name (INF-1: only those in scope, as the API's scoped relations)."""
    return User.objects.visible_to(user).filter(is_active=True).order_by("pk")


class CheckPlanForm(StyledForm):
    """SUV-1 / SUV-3: a check of a unit by one method, with its checklist (one item a line)."""

    org_unit = forms.ModelChoiceField(label=_("被检查单位"), queryset=OrgUnit.objects.none())
    method = forms.ChoiceField(label=_("检查方式"), choices=CheckMethod.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    planned_on = forms.DateField(label=_("计划日期"), widget=forms.DateInput(attrs={"type": "date"}))
    items = forms.CharField(
        label=_("检查清单"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一项检查内容"),
        max_length=10_000,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = _units(user)
        if user is not None and not user.has_perm("supervision.plan_any_check"):
            self.fields["method"].choices = [(CheckMethod.SPOT_CHECK.value, CheckMethod.SPOT_CHECK.label)]
        self.initial.setdefault("planned_on", timezone.localdate())

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "org_unit": data["org_unit"],
            "method": data["method"],
            "title": data["title"],
            "planned_on": data["planned_on"],
            "items": [line.strip() for line in data["items"].splitlines() if line.strip()],
        }


class CompleteForm(StyledForm):
    """SUV-2: each item's result (a failure needs a note), the summary and improvements."""

    summary = forms.CharField(label=_("检查总结"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    improvements = forms.CharField(label=_("改进建议"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    rectification_deadline = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("不合格项生成整改项的期限（默认 7 天）"),
    )

    def __init__(self, *args, check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(check.items.all()) if check is not None else []
        for item in self.items:
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=item.text, choices=ItemResult.choices, widget=forms.RadioSelect, initial=item.result or None
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("说明"),
                max_length=500,
                required=False,
                initial=item.note,
                widget=forms.TextInput(attrs={"placeholder": _("说明（不合格必填）")}),
            )
        styled(self)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data, check=obj)

    def item_rows(self):
        return [(item, self[f"result_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "results": [
                {"item": item.pk, "result": data[f"result_{item.pk}"], "note": data.get(f"note_{item.pk}", "")}
                for item in self.items
            ],
            "summary": data.get("summary", ""),
            "improvements": data.get("improvements", ""),
            "rectification_deadline": data.get("rectification_deadline"),
        }


class RectifyForm(StyledForm):
    rectification = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class VerifyForm(StyledForm):
    passed = forms.TypedChoiceField(
        label=_("验证结论"),
        choices=[("1", _("通过")), ("0", _("未通过，退回整改"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    note = forms.CharField(label=_("验证意见"), max_length=500, required=False)


class ResolveForm(StyledForm):
    resolution = forms.CharField(label=_("解决情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class IssueForm(StyledForm):
    """COM-1: a cross-department issue."""

    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(label=_("事项说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    responsible_department = forms.ModelChoiceField(
        label=_("责任部门"), queryset=OrgUnit.objects.filter(kind=OrgUnitKind.DEPARTMENT).order_by("pk")
    )
    responsible_person = forms.ModelChoiceField(
        label=_("责任人"), queryset=User.objects.filter(is_active=True).order_by("pk")
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("涉及部门"),
        queryset=OrgUnit.objects.filter(kind=OrgUnitKind.DEPARTMENT).order_by("pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(label=_("期限"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_person"].queryset = _people(user)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class FindingForm(StyledForm):
    """SUV-2: a finding recorded by the checker (beyond the failed items)."""

    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices)
    owner = forms.ModelChoiceField(label=_("整改责任人"), queryset=User.objects.filter(is_active=True).order_by("pk"))
    deadline = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(user)
