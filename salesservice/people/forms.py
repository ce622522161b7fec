"""Forms of the certification pages; each form's data goes to one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesservice.catalog.models import ProductCategory
from salesservice.core.directory import holders
from salesservice.core.models import User

from .models import Certification, Course, Question
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


class CourseForm(forms.ModelForm):
    """培训课程 (PPL-4): create, or edit with the `version` read."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Course
        fields = ["title", "category", "kind", "validity_months", "pass_mark", "content", "is_active"]
        widgets = {"content": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProductCategory.objects.filter(is_active=True).order_by("path")
        self.fields["category"].label_from_instance = lambda c: "\u3000" * c.depth + c.name
        self.fields["validity_months"].min_value = 1
        self.fields["validity_months"].max_value = 120
        self.fields["pass_mark"].max_value = 100
        if editing:
            self.fields["version"].required = True
        else:
            del self.fields["is_active"]
        _style(self)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class QuestionForm(forms.ModelForm):
    """A single-choice question: stem, options A–D, the correct answer (PPL-4)."""

    class Meta:
        model = Question
        fields = ["text", "option_a", "option_b", "option_c", "option_d", "answer"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class PracticalStartForm(forms.Form):
    """The trainer names the engineer whose practical assessment he is about to record."""

    user = forms.ModelChoiceField(queryset=User.objects.none(), label=_("工程师"))

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        engineers = User.objects.filter(pk__in=[user.pk for user in holders(ENGINEER_GROUP)])
        if actor is not None:
            engineers = engineers.filter(pk__in=User.objects.visible_to(actor).values("pk"))
        self.fields["user"].queryset = engineers.order_by("display_name", "username")
        self.fields["user"].label_from_instance = lambda user: f"{user.name}（{user.username}）"
        _style(self)


class GradeForm(forms.Form):
    """The practical assessment's score (0–100) and the trainer's note (PPL-4)."""

    score = forms.IntegerField(label=_("成绩"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("考核说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
