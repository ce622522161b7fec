"""Forms of the provider pages; each form's data goes to one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesservice.catalog.models import ProductCategory
from salesservice.core.choices import OrgUnitKind
from salesservice.core.directory import holders
from salesservice.core.models import OrgUnit, User
from salesservice.core.roles import ROLES_BY_CODE

from .choices import EvaluationItem, ProviderStatus
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
