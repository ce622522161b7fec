"""Forms of the appraisal pages: self-evaluation (KPI-4, usable on a phone), supervisor evaluation with the judged
attitude and ability and the customer evaluation (KPI-2, KPI-4), finalisation with its consequences (KPI-5), and a
KPI definition (KPI-1). Each parses input for one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesservice.core.roles import ROLES

from .choices import BonusTier, CustomerSource, CycleKind
from .metrics import METRIC_CHOICES


def styled(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


def score_field(label, *, required=True, help_text=""):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=100,
        decimal_places=1,
        required=required,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
    )


class SelfEvaluateForm(StyledForm):
    """KPI-4: the appraisee's self-evaluation."""

    self_score = score_field(_("自评分（0–100）"))
    self_comment = forms.CharField(
        label=_("自评说明"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )


class EvaluateForm(StyledForm):
    """KPI-4 / KPI-2: supervisor score, judged attitude and ability, customer evaluation with its source."""

    supervisor_score = score_field(_("上级评分（0–100）"))
    attitude_score = score_field(_("工作态度（评定，0–100）"))
    ability_score = score_field(_("工作能力（评定，0–100）"))
    customer_score = score_field(_("客户评价分（0–100，可选）"), required=False)
    customer_source = forms.ChoiceField(
        label=_("客户评价来源"), choices=[("", "—"), *CustomerSource.choices], required=False
    )
    supervisor_comment = forms.CharField(
        label=_("上级评语"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )


class FinaliseForm(StyledForm):
    """KPI-5: the consequences of the result."""

    bonus_tier = forms.ChoiceField(
        label=_("奖金档次"), choices=[("", _("按等级默认")), *BonusTier.choices], required=False
    )
    promotion_proposed = forms.BooleanField(label=_("建议晋升"), required=False)
    training_course = forms.ModelChoiceField(label=_("针对性培训课程（可选）"), queryset=None, required=False)
    result_note = forms.CharField(
        label=_("结果说明（奖惩、调薪等）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )

    def __init__(self, *args, **kwargs):
        from salesservice.people.models import Course

        super().__init__(*args, **kwargs)
        self.fields["training_course"].queryset = Course.objects.filter(is_active=True).order_by("title")


class KpiForm(StyledForm):
    """KPI-1: a KPI of a post."""

    post = forms.ChoiceField(label=_("岗位"), choices=[(role.code, role.label) for role in ROLES])
    code = forms.SlugField(label=_("编码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=100)
    metric = forms.ChoiceField(label=_("指标"), choices=METRIC_CHOICES)
    weight = forms.IntegerField(label=_("权重（%）"), min_value=1, max_value=100)
    target = forms.DecimalField(label=_("目标值"), max_digits=12, decimal_places=2)
    higher_is_better = forms.BooleanField(label=_("越高越好"), required=False, initial=True)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class CycleOpenForm(StyledForm):
    """KPI-3: open the cycle of the previous month, quarter or year."""

    kind = forms.ChoiceField(label=_("类型"), choices=CycleKind.choices)
