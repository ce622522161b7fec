"""The 「立即生成」 form: a kind, a date (the report covers the week or month before it) and an org unit."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models import OrgUnit
from salesservice.core.scoping import is_hq, visible_unit_ids

from .choices import ReportKind


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("报告类型"), choices=ReportKind.choices)
    date = forms.DateField(
        label=_("日期"),
        help_text=_("生成此日期之前一个周期的报告：周报为上一周（周一至周日），月报为上一个月"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    unit = forms.ChoiceField(label=_("组织单位"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        units = OrgUnit.objects.filter(kind__in=("region", "store"), is_active=True).order_by("path")
        ids = visible_unit_ids(user)
        if not user.is_superuser and ids is not None:
            units = units.filter(pk__in=ids)
        choices = [("", _("全公司"))] if is_hq(user) else []
        self.fields["unit"].choices = choices + [(str(unit.pk), unit.name) for unit in units]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )
