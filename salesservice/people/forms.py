"""Forms of the certification pages; each form's data goes to one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesservice.catalog.models import ProductCategory
from salesservice.core.directory import holders
from salesservice.core.models import User

from .models import Certification
from .selectors import ENGINEER_GROUP


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


class CertificationForm(forms.ModelForm):
    """Create (engineer chosen among the actor's scope) or edit (engineer fixed, `version` carried)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    evidence_file = forms.FileField(label=_("证书扫描件"), required=False)

    class Meta:
        model = Certification
        fields = ["user", "category", "certificate_no", "issued_by", "issued_at", "valid_until", "notes"]
        widgets = {
            "issued_at": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, actor=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        engineers = User.objects.filter(pk__in=[user.pk for user in holders(ENGINEER_GROUP)])
        if actor is not None:
            engineers = engineers.filter(pk__in=User.objects.visible_to(actor).values("pk"))
        self.fields["user"].queryset = engineers.order_by("display_name", "username")
        self.fields["user"].label_from_instance = lambda user: f"{user.name}（{user.username}）"
        self.fields["category"].queryset = ProductCategory.objects.filter(is_active=True).order_by("path")
        self.fields["category"].label_from_instance = lambda c: "\u3000" * c.depth + c.name
        if editing:
            self.fields["user"].disabled = True
            self.fields["version"].required = True
            del self.fields["evidence_file"]
        _style(self)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        evidence = data.pop("evidence_file", None)
        if evidence is not None:
            data["evidence"] = evidence
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("吊销原因"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
