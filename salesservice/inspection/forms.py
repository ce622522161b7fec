"""Forms of the nonconformance pages (SUP-8)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Disposition


class DisposeForm(forms.Form):
    disposition = forms.ChoiceField(label=_("处置方式"), choices=Disposition.choices)
    note = forms.CharField(
        label=_("处置说明（让步接收必填）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disposition"].widget.attrs["class"] = "form-select"

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        """A revision starts from the disposition recorded."""
        return cls(data, initial={"disposition": obj.disposition or None})


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("关闭说明"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("关闭说明")}),
    )


def _area(rows=2):
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


class CapaForm(forms.Form):
    """SUP-8 CAPA on the nonconformance page: starts from what was recorded."""

    root_cause = forms.CharField(label=_("原因分析"), widget=_area())
    corrective_action = forms.CharField(label=_("纠正措施"), widget=_area())
    preventive_action = forms.CharField(label=_("预防措施"), required=False, widget=_area())
    verification = forms.CharField(label=_("验证"), required=False, widget=_area())

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        initial = {
            name: getattr(obj, name)
            for name in ("root_cause", "corrective_action", "preventive_action", "verification")
        }
        return cls(data, initial=initial)
