"""Forms for the core pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PolicyValueForm(forms.Form):
    """A new version of a policy parameter's value (the old one stays in force for earlier times)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.CharField(label=_("新值"), max_length=2000)
    effective_from = forms.DateTimeField(
        label=_("生效时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("留空表示立即生效；不得早于当前时间"),
    )
    reason = forms.CharField(label=_("变更原因"), max_length=200)

    def clean_effective_from(self):
        value = self.cleaned_data.get("effective_from")
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


class OrgUnitEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("名称"), max_length=100)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    phone = forms.CharField(label=_("电话"), max_length=40, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False)


def apply_domain_error(form, error) -> None:
    """Show a service's refusal on the form: under the fields it names, else (and always for a stale
    version) at the top — so the user sees in Chinese what to fix and nothing was saved."""
    placed = False
    for field, problems in (error.fields or {}).items():
        if field in form.fields and not form.fields[field].disabled and field != "version":
            for problem in problems if isinstance(problems, list) else [problems]:
                form.add_error(field, str(problem))
            placed = True
    if not placed or error.code == "conflict.stale":
        form.add_error(None, error.message)
