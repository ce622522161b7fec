"""Forms of the returns pages: intake (with the live eligibility check) and the flow actions."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.catalog.models import Product

from .choices import GoodsCondition, RequestedKind, ReturnReason, SaleChannel


class ReturnRequestForm(forms.Form):
    """RET-1 intake. The same fields feed `return_eligibility` while the form is filled in (htmx)."""

    # A search box, not a select: a store may have tens of thousands of customers.
    customer = forms.CharField(
        label=_("客户（编码、姓名、拼音或电话）"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    product = forms.ModelChoiceField(label=_("商品"), queryset=Product.objects.filter(is_active=True).order_by("code"))
    purchase_date = forms.DateField(label=_("购买（收货）日期"), widget=forms.DateInput(attrs={"type": "date"}))
    sale_channel = forms.ChoiceField(label=_("销售方式"), choices=SaleChannel.choices)
    reason = forms.ChoiceField(label=_("退换货原因"), choices=ReturnReason.choices)
    requested_kind = forms.ChoiceField(label=_("客户诉求"), choices=RequestedKind.choices)
    condition = forms.ChoiceField(label=_("商品状况"), choices=GoodsCondition.choices)
    serial_number = forms.CharField(label=_("序列号"), max_length=80, required=False)
    batch_number = forms.CharField(label=_("批号"), max_length=80, required=False)
    description = forms.CharField(label=_("问题描述"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["product"].label_from_instance = lambda p: f"{p.code} {p.name} {p.specification}".strip()
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_customer(self):
        """The customer the text names: its code, or the one visible customer the search finds."""
        from salesservice.service.desk_forms import customer_candidates

        query = (self.cleaned_data.get("customer") or "").strip()
        visible = customer_candidates(self.user, "")
        exact = visible.filter(code__iexact=query).first()
        if exact is not None:
            return exact
        found = list(customer_candidates(self.user, query)[:6])
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(_("没有找到客户“%(q)s”") % {"q": query})
        raise forms.ValidationError(
            _("找到多个客户，请从建议中选择或输入客户编码：%(names)s")
            % {"names": "、".join(f"{c.name}（{c.code}）" for c in found)}
        )

    def clean_purchase_date(self):
        value = self.cleaned_data["purchase_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("购买日期不能晚于今天"))
        return value


def _styled(form):
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            field.widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(field.widget, forms.Select):
            field.widget.attrs.setdefault("class", "form-select")
        else:
            field.widget.attrs.setdefault("class", "form-control")
    return form


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("审批意见"), max_length=300, required=False)
    override_reason = forms.CharField(label=_("特批理由（不符合规则时必填）"), max_length=300, required=False)

    def __init__(self, *args, eligible: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if eligible:  # only an ineligible request needs (and shows) the override reason
            del self.fields["override_reason"]
        _styled(self)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data, eligible=obj.eligible)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class RejectForm(ReasonForm):
    reason = forms.CharField(label=_("拒绝理由"), max_length=300, widget=forms.TextInput(attrs={"id": "reject-reason"}))


class CancelForm(ReasonForm):
    reason = forms.CharField(
        label=_("取消原因"), max_length=300, widget=forms.TextInput(attrs={"placeholder": _("取消原因")})
    )


class ReceiveForm(forms.Form):
    condition = forms.ChoiceField(label=_("收货时商品状况"), choices=GoodsCondition.choices)
    note = forms.CharField(label=_("收货说明"), max_length=300, required=False)
    negotiated_outcome = forms.CharField(
        label=_("协商结果（人为损坏时必填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        """The condition the customer reported is the first guess."""
        return cls(data, initial={"condition": obj.reported_condition})


class InspectForm(forms.Form):
    quality_problem = forms.TypedChoiceField(
        label=_("是否存在质量问题"),
        choices=[("", "—"), ("yes", _("是（登记不合格品）")), ("no", _("否"))],
        coerce=lambda value: value == "yes",
    )
    findings = forms.CharField(
        label=_("检验结论"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("存在质量问题时自动登记不合格品，由质量部处置。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=_("退款金额（元）"), max_digits=12, decimal_places=2, min_value=0.01)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        """The product's price is the first guess of the amount."""
        price = getattr(obj.product, "price", None)
        return cls(data, initial={"amount": price} if price else None)


class ExchangeForm(forms.Form):
    replacement_serial = forms.CharField(label=_("新机序列号/批号"), max_length=80)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class RepairForm(forms.Form):
    note = forms.CharField(label=_("维修内容"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("结案说明"), max_length=300, required=False)

    def __init__(self, *args, note_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if note_required:  # marked only: the service refuses with its own message when it is missing
            self.fields["note"].label = f"{self.fields['note'].label} *"
        _styled(self)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data, note_required=obj.closing_note_required)


class MetricsForm(forms.Form):
    start = forms.DateField(label=_("申请日期自"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("申请日期至"), widget=forms.DateInput(attrs={"type": "date"}))
    group_by = forms.ChoiceField(
        label=_("分组"), choices=[("handler", _("经办人")), ("store", _("门店"))], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("结束日期不能早于开始日期"))
        return data
