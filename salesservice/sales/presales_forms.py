"""Forms of the pre-sales pages: the create forms of inquiries (PRE-1), product claims (PRE-2), tenders
(SAL-3), authorisation letters (BUY-2) and sales plans (SAL-4), and the workflow action forms."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Department, InquiryChannel, TenderStatus

DATE = {"type": "date"}


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


def _date_field(label, **kwargs):
    return forms.DateField(label=label, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), **kwargs)


def _aware(value):
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _users(user):
    from salesservice.core.models import User

    queryset = User.objects.filter(is_active=True).order_by("username")
    return queryset.visible_to(user) if user is not None else queryset


def _customers(user):
    from salesservice.customers.models import Customer

    queryset = Customer.objects.filter(is_active=True).order_by("code")
    return queryset.visible_to(user) if user is not None else queryset


def _products():
    from salesservice.catalog.models import Product

    return Product.objects.filter(is_active=True).order_by("code")


def _units(user):
    from salesservice.core.models import OrgUnit

    queryset = OrgUnit.objects.filter(is_active=True).order_by("path")
    return queryset.visible_to(user) if user is not None else queryset


def _label_user(user):
    return f"{user.name}（{user.username}）"


# --- workflow action forms ------------------------------------------------------------------


class PresalesNoteForm(StyledForm):
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class PresalesReasonForm(StyledForm):
    reason = forms.CharField(label=_("理由"), max_length=300)


class InquiryAnswerForm(StyledForm):
    """PRE-1 the reply; PRE-3 whether the needs were confirmed with the customer."""

    reply = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 3}))
    needs_confirmed = forms.BooleanField(label=_("需求已与客户确认（PRE-3）"), required=False)


class InquiryRouteForm(StyledForm):
    """PRE-1: pass the inquiry to the department concerned, and optionally a person of it."""

    department = forms.ChoiceField(label=_("转交部门"), choices=Department.choices)
    assignee = forms.ModelChoiceField(label=_("负责人"), queryset=None, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _users(user)
        self.fields["assignee"].label_from_instance = _label_user
        styled(self)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data, user=user, initial={"department": obj.department, "assignee": obj.assignee_id})


class TenderBidForm(StyledForm):
    bid_amount = forms.DecimalField(label=_("投标报价（元）"), max_digits=14, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class TenderAwardForm(StyledForm):
    result = forms.ChoiceField(
        label=_("结果"), choices=[(TenderStatus.WON, _("中标")), (TenderStatus.LOST, _("未中标"))]
    )
    awarded_on = _date_field(_("开标/中标日期"))
    note = forms.CharField(label=_("结果说明"), max_length=300, required=False)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data, initial={"awarded_on": timezone.localdate()})


class AuthorisationRevokeForm(StyledForm):
    reason = forms.CharField(label=_("收回原因"), max_length=300)


class PlanApproveForm(StyledForm):
    note = forms.CharField(label=_("批准意见"), max_length=300, required=False)


# --- create forms ---------------------------------------------------------------------------


class InquiryForm(StyledForm):
    """PRE-1: an inquiry from an existing customer, or from a prospect by name and phone."""

    channel = forms.ChoiceField(label=_("咨询方式"), choices=InquiryChannel.choices)
    customer = forms.ModelChoiceField(label=_("客户（已有客户）"), queryset=None, required=False)
    prospect_name = forms.CharField(label=_("咨询人（新客户）"), max_length=100, required=False)
    prospect_phone = forms.CharField(label=_("联系电话（新客户）"), max_length=30, required=False)
    product = forms.ModelChoiceField(label=_("意向商品"), queryset=None, required=False)
    needs = forms.CharField(label=_("客户需求"), widget=forms.Textarea(attrs={"rows": 3}))
    special_requirements = forms.CharField(
        label=_("特殊要求"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("如：送货上门时间、安装条件、无障碍需求等，将传达到转交部门"),
    )
    department = forms.ChoiceField(label=_("转交部门"), choices=Department.choices, initial=Department.SALES)
    assignee = forms.ModelChoiceField(label=_("负责人"), queryset=None, required=False)
    received_at = forms.DateTimeField(
        label=_("咨询时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("留空为现在"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = _customers(user)
        self.fields["customer"].label_from_instance = lambda c: f"{c.code} {c.name}"
        self.fields["product"].queryset = _products()
        self.fields["product"].label_from_instance = lambda p: f"{p.code} {p.name} {p.specification}".strip()
        self.fields["assignee"].queryset = _users(user)
        self.fields["assignee"].label_from_instance = _label_user
        styled(self)

    def clean_received_at(self):
        return _aware(self.cleaned_data.get("received_at"))


class ClaimForm(StyledForm):
    """PRE-2: a claim about a product and what it rests on."""

    product = forms.ModelChoiceField(label=_("商品"), queryset=None)
    text = forms.CharField(label=_("宣传内容"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("依据（注册证/检验报告等）"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = _products()
        self.fields["product"].label_from_instance = lambda p: f"{p.code} {p.name} {p.specification}".strip()
        styled(self)


class TenderForm(StyledForm):
    """SAL-3: a tender announced by a customer."""

    customer = forms.ModelChoiceField(label=_("招标单位"), queryset=None)
    title = forms.CharField(label=_("项目名称"), max_length=200)
    tender_no = forms.CharField(label=_("招标编号"), max_length=80, required=False)
    announced_on = _date_field(_("公告日期"))
    deadline = forms.DateTimeField(
        label=_("投标截止时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    budget = forms.DecimalField(label=_("预算金额（元）"), max_digits=14, decimal_places=2, min_value=0, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = _customers(user)
        self.fields["customer"].label_from_instance = lambda c: f"{c.code} {c.name}"
        styled(self)

    def clean_deadline(self):
        return _aware(self.cleaned_data.get("deadline"))


class AuthorisationForm(StyledForm):
    """BUY-2: a letter authorising a sales rep, with its scope and validity."""

    rep = forms.ModelChoiceField(label=_("销售人员"), queryset=None)
    scope = forms.CharField(label=_("授权范围"), max_length=300, help_text=_("如：华东区医疗器械销售，含 III 类"))
    valid_from = _date_field(_("有效期起"))
    valid_until = _date_field(_("有效期至"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rep"].queryset = _users(user)
        self.fields["rep"].label_from_instance = _label_user
        styled(self)


class PlanForm(StyledForm):
    """SAL-4: the plan of a unit for a year; the monthly targets default to target/12."""

    org_unit = forms.ModelChoiceField(label=_("单位"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    company_target = forms.DecimalField(label=_("公司下达目标（元）"), max_digits=14, decimal_places=2, min_value=0)
    target = forms.DecimalField(label=_("计划销售额（元）"), max_digits=14, decimal_places=2, min_value=0)
    basis = forms.CharField(label=_("编制依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = _units(user)
        for month in range(1, 13):
            self.fields[f"month_{month}"] = forms.DecimalField(
                label=_("%(m)s 月") % {"m": month}, max_digits=14, decimal_places=2, min_value=0, required=False
            )
        styled(self)

    def month_fields(self):
        return [self[f"month_{month}"] for month in range(1, 13)]

    def months(self) -> list | None:
        values = [self.cleaned_data.get(f"month_{month}") for month in range(1, 13)]
        if all(value is None for value in values):
            return None
        return [value if value is not None else 0 for value in values]

    @staticmethod
    def default_year() -> int:
        return (timezone.localdate() + dt.timedelta(days=60)).year
