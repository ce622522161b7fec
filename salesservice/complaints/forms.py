"""Forms of the complaint pages. They parse input; the services decide and write."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from salesservice.catalog.models import Product
from salesservice.core.models import User

from .choices import ComplaintChannel, ComplaintLevel, ResponsibleParty

STAFF_CHANNELS = [(c.value, c.label) for c in ComplaintChannel if c != ComplaintChannel.API]


def style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"


def _owners(user):
    return User.objects.visible_to(user).filter(is_active=True).distinct().order_by("display_name", "username")


def _providers(user):
    from salesservice.network.models import ServiceProvider

    return ServiceProvider.objects.visible_to(user).order_by("name")


class ComplaintIntakeForm(forms.Form):
    """CMP-1: any channel; an existing customer (search) or a quick-created one; optionally the service
    request it escalates from (by number)."""

    customer = forms.CharField(
        label=_("客户（编码、姓名、拼音或电话）"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip
    new_customer_name = forms.CharField(label=_("新客户姓名"), max_length=100, required=False)
    new_customer_phone = forms.CharField(label=_("新客户电话"), max_length=30, required=False)
    channel = forms.ChoiceField(label=_("渠道"), choices=STAFF_CHANNELS, initial=ComplaintChannel.HOTLINE)
    service_request_number = forms.CharField(label=_("来源服务单号（可选）"), max_length=30, required=False)
    product = forms.ModelChoiceField(
        label=_("商品"), queryset=Product.objects.filter(is_active=True).order_by("code"), required=False
    )
    subject = forms.CharField(label=_("投诉主题"), max_length=200)
    promised_by = forms.DateTimeField(
        label=_("承诺处理时限"), required=False, widget=DateTimeLocalInput(),
        help_text=_("告知客户的处理期限；热线、到店、门店登记必填"),
    )  # fmt: skip
    claimed_amount = forms.DecimalField(label=_("索赔金额（元）"), max_digits=12, decimal_places=2, min_value=0,
                                        required=False)  # fmt: skip
    media_exposure = forms.BooleanField(label=_("媒体曝光"), required=False)
    safety_issue = forms.BooleanField(label=_("涉及人身/财产安全"), required=False)
    is_major = forms.BooleanField(label=_("标记为重大投诉（直接由总部处理）"), required=False)
    description = forms.CharField(label=_("投诉内容"), widget=forms.Textarea(attrs={"rows": 4}))
    customer_demand = forms.CharField(label=_("客户诉求"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["product"].label_from_instance = lambda p: f"{p.code} {p.name} {p.specification}".strip()
        style(self)
        self.fields["customer"].widget.attrs.update(
            {"hx-get": "customers/", "hx-trigger": "input changed delay:400ms", "hx-target": "#customer-candidates"}
        )

    def clean_customer(self):
        from salesservice.service.desk_forms import customer_candidates

        query = (self.cleaned_data.get("customer") or "").strip()
        if not query:
            return None
        exact = customer_candidates(self.user, "").filter(code__iexact=query).first()
        if exact is not None:
            return exact
        found = list(customer_candidates(self.user, query)[:6])
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(_("没有找到客户“%(q)s”，可填写新客户信息快速建档") % {"q": query})
        raise forms.ValidationError(
            _("找到多个客户，请从建议中选择或输入客户编码：%(names)s")
            % {"names": "、".join(f"{c.name}（{c.code}）" for c in found)}
        )

    def clean_service_request_number(self):
        from salesservice.service.models import ServiceRequest

        number = (self.cleaned_data.get("service_request_number") or "").strip()
        if not number:
            return None
        found = ServiceRequest.objects.visible_to(self.user).filter(number__iexact=number).first()
        if found is None:
            raise forms.ValidationError(_("没有找到服务单 %(n)s（或不在您的范围内）") % {"n": number})
        return found

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        request = data.get("service_request_number")
        if not data.get("customer") and request is None and not data.get("new_customer_name"):
            raise forms.ValidationError(_("请选择客户，或填写新客户姓名和电话以快速建档"))
        if not data.get("customer") and request is None and not data.get("new_customer_phone"):
            self.add_error("new_customer_phone", _("快速建档需要电话"))
        return data


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


def placeholder(form, field: str, text, *, required: bool = False) -> None:
    attrs = form.fields[field].widget.attrs
    attrs["placeholder"] = text
    if required:
        attrs["required"] = True


class ActionForm(StyledForm):
    """The page form of a complaint action (`workflows.py`). The complaints partials show `title` (the card's
    heading, default the action's label), `hint`, and `button_label` / `button_style` / `element_id` where
    a state words the button differently."""

    title = ""
    hint = ""
    button_label = ""
    button_style = ""
    element_id = ""
    inline = False  # one input beside the button: no ids (several such forms share a page)

    def __init__(self, *args, **kwargs):
        if self.inline:
            kwargs.setdefault("auto_id", False)
        super().__init__(*args, **kwargs)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("原因"), max_length=300)


class NoteForm(ActionForm):
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class RespondForm(ActionForm):
    """CMP-2: the first reply to the customer."""

    title = _("首次答复（2 小时内）")
    note = forms.CharField(label=_("答复内容"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        placeholder(self, "note", _("答复客户的内容"))


class AgreeForm(NoteForm):
    inline = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        placeholder(self, "note", _("确认方式（可选）"))


class RefuseForm(ReasonForm):
    inline = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        placeholder(self, "reason", _("客户不认可的原因"))


class ImplementForm(NoteForm):
    """CMP-4 handling as agreed; from 结果反馈 it is handled again because the customer was not satisfied —
    the reason is then required (the service refuses without it)."""

    inline = True

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        form = cls(data, files)
        if obj.result_fed_back:
            placeholder(form, "note", _("客户对结果不满意的原因"), required=True)
            form.button_label, form.button_style, form.element_id = _("重新处理"), "outline-warning", "reimplement"
        else:
            placeholder(form, "note", _("处理安排（可选）"))
        return form


class EscalateForm(ReasonForm):
    """CMP-7: store → region → HQ."""

    inline = True

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        form = cls(data, files)
        to_region = obj.level == ComplaintLevel.STORE
        placeholder(form, "reason", _("提交区部协助的原因") if to_region else _("提交总部服管处的原因"))
        form.button_label = _("升级到区部") if to_region else _("升级到总部")
        return form


class EndForm(ReasonForm):
    """Cancel (registered in error) or withdraw (the customer withdraws)."""

    inline = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        placeholder(self, "reason", _("撤诉/取消原因"))


class ResponsibilityFields(forms.Form):
    responsible_party = forms.ChoiceField(label=_("责任方"), choices=[("", "—"), *ResponsibleParty.choices],
                                          required=False)  # fmt: skip
    responsible_provider = forms.ModelChoiceField(label=_("责任网点（外协网点时）"), queryset=None, required=False)
    responsible_user = forms.ModelChoiceField(label=_("责任员工（员工个人时）"), queryset=None, required=False)
    responsible_detail = forms.CharField(label=_("责任厂家/部门"), max_length=200, required=False)

    title = ""
    hint = ""
    button_label = ""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_provider"].queryset = _providers(user)
        self.fields["responsible_user"].queryset = _owners(user)
        self.fields["responsible_user"].label_from_instance = lambda u: u.name
        style(self)


class VerifyForm(ResponsibilityFields):
    notes = forms.CharField(label=_("核实情况"), widget=forms.Textarea(attrs={"rows": 3}))
    departments = forms.CharField(label=_("协同部门（顿号分隔）"), max_length=200, required=False)
    field_order = ["notes", "departments"]

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        form = cls(data, files, user=user)
        form.title = _("补充核实") if obj.in_verification else _("核实")
        return form


class ProposeForm(ActionForm):
    solution = forms.CharField(label=_("解决方案"), widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        form = cls(data, files, initial={"solution": obj.solution})
        form.title = _("修改解决方案") if obj.has_proposal else _("提出解决方案")
        return form


class FeedbackForm(ActionForm):
    title = _("反馈处理结果")
    feedback = forms.CharField(label=_("处理结果"), widget=forms.Textarea(attrs={"rows": 3}))
    satisfaction = forms.TypedChoiceField(
        label=_("客户满意度"), coerce=int, empty_value=None, required=False,
        choices=[("", "—"), *[(i, f"{i} ★") for i in range(5, 0, -1)]],
    )  # fmt: skip


class CloseForm(ResponsibilityFields):
    """CMP-5: root cause, responsible party, and an improvement action (owner, due date)."""

    title = _("结案（总结改进）")
    hint = _("须填写根本原因、责任方，并至少有一项改进措施（可在此填写或已登记）。")
    root_cause = forms.CharField(label=_("根本原因"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    improvement_description = forms.CharField(label=_("改进措施"), max_length=500, required=False)
    improvement_owner = forms.ModelChoiceField(label=_("改进负责人"), queryset=None, required=False)
    improvement_due_date = forms.DateField(label=_("完成期限"), required=False, widget=DateInput())
    field_order = ["root_cause", "responsible_party", "responsible_provider", "responsible_user",
                   "responsible_detail", "improvement_description", "improvement_owner", "improvement_due_date"]  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["improvement_owner"].queryset = _owners(user)
        self.fields["improvement_owner"].label_from_instance = lambda u: u.name
        style(self)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        """The responsibility found on verification is the starting point."""
        initial = {
            "responsible_party": obj.responsible_party,
            "responsible_provider": obj.responsible_provider_id,
            "responsible_user": obj.responsible_user_id,
            "responsible_detail": obj.responsible_detail,
        }
        return cls(data, files, user=user, initial=initial)

    def improvement_actions(self) -> list[dict]:
        data = self.cleaned_data
        if not (
            data.get("improvement_description") or data.get("improvement_owner") or data.get("improvement_due_date")
        ):
            return []
        return [{
            "description": data.get("improvement_description") or "",
            "owner": data.get("improvement_owner"),
            "due_date": data.get("improvement_due_date"),
        }]  # fmt: skip

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "root_cause": data["root_cause"],
            "responsible_party": data["responsible_party"],
            "responsible_provider": data["responsible_provider"],
            "responsible_user": data["responsible_user"],
            "responsible_detail": data["responsible_detail"],
            "improvement_actions": self.improvement_actions(),
        }


class ImprovementForm(forms.Form):
    description = forms.CharField(label=_("改进措施"), max_length=500)
    owner = forms.ModelChoiceField(label=_("负责人"), queryset=None)
    due_date = forms.DateField(label=_("完成期限"), widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners(user)
        self.fields["owner"].label_from_instance = lambda u: u.name
        style(self)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data, files, user=user)


class PayForm(StyledForm):
    """CMP-8: a payout from the fund; the page shows the payer's authority (`my_level`, `my_limit`)."""

    amount = forms.DecimalField(label=_("赔付金额（元）"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
                                widget=forms.NumberInput(attrs={"id": "pay-amount"}))  # fmt: skip
    note = forms.CharField(label=_("说明"), max_length=300, required=False,
                           widget=forms.TextInput(attrs={"id": "pay-note"}))  # fmt: skip

    def __init__(self, *args, my_level="", my_limit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.my_level, self.my_limit = my_level, my_limit

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        if data is not None:
            return cls(data, files)
        from .compensation import actor_limit

        level, limit = actor_limit(user)
        return cls(my_level=ComplaintLevel(level).label, my_limit=limit)


class PaymentDecisionForm(forms.Form):
    """The decision on one over-limit payout request of the complaint (its id in `request`)."""

    request = forms.IntegerField(widget=forms.HiddenInput())
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    approve = True

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"request_id": data["request"], "approve": self.approve, "note": data["note"]}


class ApprovePaymentForm(PaymentDecisionForm):
    pass


class RejectPaymentForm(PaymentDecisionForm):
    approve = False  # the service requires the reason


class SettleForm(forms.Form):
    """CMP-8: how the responsible party paid back."""

    note = forms.CharField(label=_("说明"), max_length=300, required=False, widget=forms.TextInput(
        attrs={"class": "form-control form-control-sm", "placeholder": _("收回方式/凭证")}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", False)  # one form per open recovery on the page
        super().__init__(*args, **kwargs)


class TopUpForm(forms.Form):
    amount = forms.DecimalField(label=_("注资金额（元）"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    note = forms.CharField(label=_("资金来源/批文"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
