"""Forms of the sales pages: quotation, contract and order with lines; the workflow action forms
(contract review, signature, amendment; order confirmation) and payment."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.catalog.models import Product
from salesservice.purchasing.forms import StyledForm, styled

from .choices import ConfirmChannel, PaymentMethod, ReviewItem, ReviewResult

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _product_field():
    field = forms.ModelChoiceField(label=_("商品"), queryset=Product.objects.filter(is_active=True).order_by("code"))
    field.label_from_instance = lambda p: f"{p.code} {p.name} {p.specification}".strip()
    return field


def _customers(user):
    from salesservice.customers.models import Customer

    queryset = Customer.objects.filter(is_active=True, is_anonymised=False).order_by("code")
    return queryset.visible_to(user) if user is not None else queryset


def _customer_field(user):
    field = forms.ModelChoiceField(label=_("客户"), queryset=_customers(user))
    field.label_from_instance = lambda c: f"{c.code} {c.name}"
    return field


# --- workflow action forms ----------------------------------------------------------------------


class NoteForm(StyledForm):
    note = forms.CharField(label=_("意见"), max_length=300, required=False)


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("理由"), max_length=300)


class ContractReviewForm(StyledForm):
    """SAL-1: one review item signed off by its department."""

    item = forms.ChoiceField(label=_("评审项目"), choices=ReviewItem.choices)
    result = forms.ChoiceField(
        label=_("结论"), choices=[c for c in ReviewResult.choices if c[0] != ReviewResult.PENDING]
    )
    note = forms.CharField(label=_("评审意见（不通过时必填）"), max_length=300, required=False)


class RecordForm(StyledForm):
    """An action form that takes the record (initial values, hints) — `for_action` is the kernel's hook."""

    @classmethod
    def for_action(cls, *, obj=None, user=None, data=None, files=None):
        return cls(data, files, obj=obj) if data is not None else cls(obj=obj)


class ContractSignForm(RecordForm):
    """SAL-2: signatory, date, and the agreed deposit collected with the signature."""

    customer_signatory = forms.CharField(label=_("客户签约人"), max_length=60)
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE, initial=timezone.localdate)
    deposit_amount = forms.DecimalField(
        label=_("本次收取定金（元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    method = forms.ChoiceField(label=_("收款方式"), choices=PaymentMethod.choices, initial=PaymentMethod.TRANSFER)
    reference = forms.CharField(label=_("凭证号"), max_length=80, required=False)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        if obj is not None:
            self.fields["deposit_amount"].initial = obj.deposit_outstanding
            self.fields["deposit_amount"].help_text = _("约定定金 %(d)s 元，已收 %(r)s 元") % {
                "d": obj.deposit_required,
                "r": obj.deposit_received,
            }


class ContractAmendForm(RecordForm):
    """SAL-8: why, and what changes (terms; the lines are changed through the API or a new draft)."""

    reason = forms.CharField(label=_("变更原因"), max_length=300)
    delivery_due = forms.DateField(label=_("交货期"), widget=DATE, required=False)
    delivery_terms = forms.CharField(label=_("交付条款"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    acceptance_terms = forms.CharField(label=_("验收条款"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    payment_terms = forms.CharField(label=_("付款条款"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    deposit_required = forms.DecimalField(
        label=_("约定定金（元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        if obj is not None and not self.is_bound:
            for name in ("delivery_due", "delivery_terms", "acceptance_terms", "payment_terms", "deposit_required"):
                self.fields[name].initial = getattr(obj, name)

    def clean(self):
        data = super().clean()
        # an empty box means "unchanged", not "erase"
        return {k: v for k, v in data.items() if v not in (None, "")}


class OrderConfirmForm(StyledForm):
    confirmed_with = forms.CharField(label=_("客户确认人"), max_length=60)
    confirm_channel = forms.ChoiceField(label=_("确认方式"), choices=ConfirmChannel.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class PaymentForm(StyledForm):
    amount = forms.DecimalField(label=_("收款金额（元）"), min_value=0.01, max_digits=14, decimal_places=2)
    received_on = forms.DateField(label=_("收款日期"), widget=DATE, initial=timezone.localdate)
    method = forms.ChoiceField(label=_("方式"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("凭证号"), max_length=80, required=False)


# --- document heads and lines -------------------------------------------------------------------


class LineForm(StyledForm):
    product = _product_field()
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=1_000_000)
    unit_price = forms.DecimalField(
        label=_("单价（元）"), min_value=0, max_digits=12, decimal_places=2, required=False, help_text=_("留空取标准价")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"] = _product_field()
        styled(self)


LineFormSet = forms.formset_factory(LineForm, extra=0, min_num=1, validate_min=True, can_delete=True)


class QuotationForm(StyledForm):
    valid_until = forms.DateField(label=_("有效期至"), widget=DATE, required=False, help_text=_("留空按政策默认天数"))
    terms = forms.CharField(
        label=_("报价条款（交货、付款、质保）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"customer": _customer_field(user), **self.fields}
        styled(self)


class ContractForm(StyledForm):
    title = forms.CharField(label=_("合同名称"), max_length=200)
    delivery_due = forms.DateField(label=_("交货期"), widget=DATE, required=False)
    delivery_terms = forms.CharField(label=_("交付条款"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    acceptance_terms = forms.CharField(label=_("验收条款"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    payment_terms = forms.CharField(label=_("付款条款"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    deposit_required = forms.DecimalField(
        label=_("约定定金（元）"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    acceptance_days = forms.IntegerField(label=_("验收后付款天数"), min_value=0, max_value=365, initial=30)
    installation_required = forms.BooleanField(label=_("需安装调试"), required=False)
    training_required = forms.BooleanField(label=_("需客户培训"), required=False)
    protect_to_destination = forms.BooleanField(label=_("防护延伸至目的地（DEL-7）"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"customer": _customer_field(user), **self.fields}
        styled(self)


class OrderForm(StyledForm):
    warehouse = forms.ModelChoiceField(label=_("发货仓库"), queryset=None)
    requested_date = forms.DateField(label=_("要求交货日期"), widget=DATE, required=False)
    ship_to_contact = forms.CharField(label=_("收货人"), max_length=60, required=False)
    ship_to_phone = forms.CharField(label=_("收货电话"), max_length=30, required=False)
    ship_to_address = forms.CharField(label=_("收货地址"), max_length=200, required=False)
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        from salesservice.inventory.models import Warehouse

        super().__init__(*args, **kwargs)
        self.fields = {"customer": _customer_field(user), **self.fields}
        self.fields["warehouse"].queryset = Warehouse.objects.filter(is_active=True).order_by("code")
        self.fields["warehouse"].label_from_instance = lambda w: f"{w.code} {w.name}"
        styled(self)
