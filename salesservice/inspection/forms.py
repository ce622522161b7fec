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
