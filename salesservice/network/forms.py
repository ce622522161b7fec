"""Forms of the provider pages; each form's data goes to one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesservice.catalog.models import ProductCategory
from salesservice.core.choices import OrgUnitKind
from salesservice.core.directory import holders
from salesservice.core.models import OrgUnit, User
from salesservice.core.roles import ROLES_BY_CODE

from .choices import EvaluationConclusion, EvaluationItem, ProviderStatus
from .models import ServiceProvider

DISPATCHER_GROUP = ROLES_BY_CODE["provider_dispatcher"].group_name


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


class ServiceProviderForm(forms.ModelForm):
    """Create and edit a provider; on edit `version` carries the version the user read."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ServiceProvider
        fields = ["code", "name", "org_unit", "contact_name", "phone", "address", "categories", "dispatchers", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, actor=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.exclude(kind=OrgUnitKind.DEPARTMENT)
        if actor is not None:
            units = units.filter(pk__in=OrgUnit.objects.visible_to(actor).values("pk"))
        self.fields["org_unit"].queryset = units.order_by("path")
        self.fields["categories"].queryset = ProductCategory.objects.filter(is_active=True).order_by("path")
        dispatchers = [user.pk for user in holders(DISPATCHER_GROUP)]
        self.fields["dispatchers"].queryset = User.objects.filter(pk__in=dispatchers).order_by("username")
        self.fields["dispatchers"].label_from_instance = lambda user: f"{user.name}（{user.username}）"
        self.fields["dispatchers"].help_text = _("可登录查看本网点工单的外协调度账号")
        if editing:
            self.fields["code"].disabled = True
            self.fields["version"].required = True
        _style(self)

    def validate_unique(self):
        pass  # the service reports a duplicate code with its own message

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["categories"] = list(data.get("categories") or [])
        data["dispatchers"] = list(data.get("dispatchers") or [])
        return data


# The look of each ladder button (the status it leads to).
STATUS_BUTTONS = {
    ProviderStatus.ACTIVE: "btn-outline-success",
    ProviderStatus.WARNED: "btn-outline-warning",
    ProviderStatus.RECTIFYING: "btn-outline-warning",
    ProviderStatus.DISPATCH_STOPPED: "btn-outline-danger",
    ProviderStatus.REMOVED: "btn-danger",
}


class StatusChangeForm(forms.Form):
    """`change-status`: a reason and the rung (one submit button per status the ladder allows now)."""

    to_status = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("原因"), max_length=1000)

    next_statuses: list[dict] = []

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        from .workflows import next_statuses

        form = cls(data, files)
        form.next_statuses = [
            {"value": status, "label": ProviderStatus(status).label, "css": STATUS_BUTTONS[status]}
            for status in next_statuses(obj)
        ]
        return form


class ViolationForm(forms.Form):
    occurred_on = forms.DateField(
        label=_("发生日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    item = forms.ChoiceField(
        label=_("评测项目"), choices=EvaluationItem.choices, initial=EvaluationItem.OTHER, required=False
    )
    description = forms.CharField(label=_("违规情况"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_item(self):
        return self.cleaned_data.get("item") or EvaluationItem.OTHER


# --- technicians and quarterly training (NET-4) ----------------------------------------------------


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class TechnicianForm(_Styled):
    name = forms.CharField(label=_("技师姓名"), max_length=60)
    phone = forms.CharField(label=_("手机号"), max_length=40, required=False)
    skills = forms.CharField(label=_("技能"), max_length=200, required=False, help_text=_("如：空调安装、热水器维修"))


class QuarterTrainingForm(_Styled):
    """One quarter's training of a provider's technicians on one page (NET-4): the course, then per technician the
    score and whether they passed; a technician left blank is not recorded."""

    quarter = forms.RegexField(label=_("季度"), regex=r"^\d{4}-Q[1-4]$", max_length=7, help_text=_("如 2026-Q4"))
    trained_on = forms.DateField(label=_("培训日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    topic = forms.CharField(label=_("培训课程"), max_length=200)

    def __init__(self, *args, technicians=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.technicians = list(technicians)
        for tech in self.technicians:
            self.fields[f"score_{tech.pk}"] = forms.IntegerField(
                label=_("%(name)s 成绩") % {"name": tech.name}, min_value=0, max_value=100, required=False
            )
            self.fields[f"passed_{tech.pk}"] = forms.BooleanField(label=_("合格"), required=False)
        _style(self)

    def rows(self):
        """(technician, score field, passed field) for the template."""
        return [(t, self[f"score_{t.pk}"], self[f"passed_{t.pk}"]) for t in self.technicians]

    def entries(self) -> list[tuple]:
        return [
            (t, self.cleaned_data[f"score_{t.pk}"], self.cleaned_data[f"passed_{t.pk}"])
            for t in self.technicians
            if self.cleaned_data.get(f"score_{t.pk}") is not None
        ]


# --- region evaluations (NET-5) ---------------------------------------------------------------------


class EvaluationForm(_Styled):
    period_start = forms.DateField(
        label=_("评价期间起"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("评价期间止"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    conclusion = forms.ChoiceField(label=_("结论"), choices=EvaluationConclusion.choices)
    comment = forms.CharField(
        label=_("评价意见"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    propose_new_point = forms.BooleanField(label=_("建议新建网点"), required=False)
    new_point_area = forms.CharField(label=_("新建网点区域"), max_length=200, required=False)
    new_point_reason = forms.CharField(label=_("新建网点理由"), max_length=2000, required=False)
    propose_removal = forms.BooleanField(label=_("建议撤点"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in EvaluationItem.choices:
            self.fields[f"score_{value}"] = forms.IntegerField(
                label=_("%(item)s 得分") % {"item": label}, min_value=0, max_value=100, initial=80
            )
        _style(self)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["scores"] = {item: data.pop(f"score_{item}") for item in EvaluationItem.values}
        return data


class EvaluationDecisionForm(_Styled):
    note = forms.CharField(
        label=_("审批意见"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
