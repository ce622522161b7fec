"""Forms of the certification pages; each form's data goes to one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesservice.catalog.models import ProductCategory
from salesservice.core.directory import holders
from salesservice.core.models import User

from .choices import SessionKind, SessionMethod
from .models import Candidate, Certification, Course, Post, Question, TrainingNeed, TrainingPlan
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


class CandidateStepForm(forms.Form):
    """The record of an interview, written test or background check (PPL-1)."""

    held_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    score = forms.IntegerField(label=_("得分"), min_value=0, max_value=100, required=False)
    passed = forms.BooleanField(label=_("通过"), required=False)
    notes = forms.CharField(label=_("记录"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


def _date(**attrs):
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def _scoped_units(actor):
    from salesservice.core.models import OrgUnit
    from salesservice.core.scoping import visible_unit_ids

    units = OrgUnit.objects.order_by("path")
    visible = visible_unit_ids(actor) if actor is not None else None
    return units if visible is None else units.filter(pk__in=visible)


class PostForm(forms.ModelForm):
    """岗位说明书 (PPL-1): create, or edit with the `version` read."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Post
        fields = [
            "name",
            "code",
            "level",
            "reports_to",
            "duties",
            "education",
            "experience",
            "skills",
            "certificates",
            "criteria",
            "is_active",
        ]
        widgets = {
            "duties": forms.Textarea(attrs={"rows": 4}),
            "skills": forms.Textarea(attrs={"rows": 3}),
            "criteria": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"].required = True
        _style(self)

    def validate_unique(self):
        """The service refuses a duplicate code with its own error code (409)."""

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class CandidateForm(forms.ModelForm):
    """A candidate for a post in a unit of the actor's scope (PPL-1)."""

    class Meta:
        model = Candidate
        fields = ["post", "org_unit", "name", "phone", "id_number", "source", "applied_on", "notes"]
        widgets = {"applied_on": _date(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.filter(is_active=True)
        self.fields["org_unit"].queryset = _scoped_units(actor)
        _style(self)

    def validate_unique(self):
        """Numbers are given by the service."""


class PlanForm(forms.ModelForm):
    class Meta:
        model = TrainingPlan
        fields = ["year", "org_unit", "title", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = _scoped_units(actor)
        self.fields["year"].min_value = 2000
        self.fields["year"].max_value = 2100
        _style(self)

    def validate_unique(self):
        """One plan per unit and year is refused by the service (409 `plan.duplicate`)."""


class SessionForm(forms.Form):
    """A session of a draft plan with the staff enrolled (PPL-2)."""

    course = forms.ModelChoiceField(queryset=Course.objects.filter(is_active=True), required=False, label=_("课程"))
    topic = forms.CharField(label=_("培训主题"), max_length=200, required=False, help_text=_("不选课程时必填"))
    kind = forms.ChoiceField(label=_("培训类别"), choices=SessionKind.choices)
    planned_on = forms.DateField(label=_("计划日期"), widget=_date())
    trainer = forms.ModelChoiceField(queryset=User.objects.none(), label=_("培训讲师"))
    method = forms.ChoiceField(label=_("培训方式"), choices=SessionMethod.choices)
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    participants = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("参训人员"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True)
        if actor is not None:
            people = people.filter(pk__in=User.objects.visible_to(actor).values("pk"))
        people = people.order_by("display_name", "username")
        self.fields["trainer"].queryset = people
        self.fields["participants"].queryset = people
        for name in ("trainer", "participants"):
            self.fields[name].label_from_instance = lambda user: f"{user.name}（{user.username}）"
        _style(self)


class EffectForm(forms.Form):
    """培训效果评估 (PPL-5): the exam results are computed from the attempts, never typed."""

    reaction_score = forms.DecimalField(label=_("学员满意度（1–5）"), min_value=1, max_value=5, decimal_places=2)
    behaviour_change = forms.CharField(
        label=_("行为改变评估"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )
    evaluated_on = forms.DateField(label=_("评估日期"), widget=_date())
    need_gap = forms.CharField(
        label=_("发现的新培训需求"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("填写则登记为新的培训需求（反馈）"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class NeedForm(forms.ModelForm):
    class Meta:
        model = TrainingNeed
        fields = ["org_unit", "post", "user", "gap", "source", "priority"]
        widgets = {"gap": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = _scoped_units(actor)
        self.fields["post"].queryset = Post.objects.filter(is_active=True)
        self.fields["user"].queryset = User.objects.visible_to(actor).order_by("display_name", "username")
        self.fields["user"].label_from_instance = lambda user: f"{user.name}（{user.username}）"
        _style(self)


class TalkForm(forms.Form):
    """职业发展面谈 (PPL-6)."""

    user = forms.ModelChoiceField(queryset=User.objects.none(), label=_("员工"))
    held_on = forms.DateField(label=_("面谈日期"), widget=_date())
    goals = forms.CharField(label=_("发展目标"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
    actions = forms.CharField(
        label=_("约定的行动"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=3000
    )
    next_talk_on = forms.DateField(label=_("下次面谈"), widget=_date(), required=False)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.visible_to(actor).order_by("display_name", "username")
        self.fields["user"].label_from_instance = lambda user: f"{user.name}（{user.username}）"
        _style(self)
