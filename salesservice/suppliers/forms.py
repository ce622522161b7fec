"""Forms of the supplier pages: the dossier, documents, evaluation, suspension and the qualified list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesservice.catalog.models import Product, ProductCategory

from .choices import Criterion, DocumentKind
from .models import Supplier


def _styled(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


def _product_label(product) -> str:
    return f"{product.code} {product.name}"


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class SupplierForm(StyledForm):
    name = forms.CharField(label=_("供应商名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    contact = forms.CharField(label=_("联系人"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DocumentForm(StyledForm):
    kind = forms.ChoiceField(label=_("类型"), choices=DocumentKind.choices)
    number = forms.CharField(label=_("证号/协议编号"), max_length=100)
    scope = forms.CharField(label=_("范围"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    products = forms.ModelMultipleChoiceField(
        label=_("涉及商品（注册证、授权书）"),
        queryset=Product.objects.filter(is_active=True).order_by("code"),
        required=False,
    )
    valid_from = forms.DateField(label=_("有效期起"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        label=_("有效期至（留空为长期）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence = forms.FileField(label=_("扫描件"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].label_from_instance = _product_label


class EvaluationForm(StyledForm):
    """SUP-1: the period and the entered scores; product quality, capacity and service are computed from
    the period's deliveries when there were any (what is entered for them is used only when there were none)."""

    period_start = forms.DateField(label=_("评价期间起"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("评价期间止"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("评价意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Criterion.choices:
            self.fields[f"score_{value}"] = forms.DecimalField(
                label=label, min_value=0, max_value=100, decimal_places=1, required=False
            )
        _styled(self)

    def scores(self) -> dict:
        return {
            value: self.cleaned_data[f"score_{value}"]
            for value in Criterion.values
            if self.cleaned_data.get(f"score_{value}") is not None
        }


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("原因"), max_length=300)


class NoteForm(StyledForm):
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class QualifiedListForm(StyledForm):
    title = forms.CharField(label=_("名称"), max_length=200, initial=_("合格供方名单"))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    copy_current = forms.BooleanField(label=_("复制现行名单的条目"), required=False, initial=True)


class EntryForm(StyledForm):
    supplier = forms.ModelChoiceField(label=_("供应商"), queryset=Supplier.objects.none())
    products = forms.ModelMultipleChoiceField(
        label=_("商品"), queryset=Product.objects.filter(is_active=True).order_by("code"), required=False
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("商品类别（含下级）"), queryset=ProductCategory.objects.filter(is_active=True).order_by("path"),
        required=False,
    )  # fmt: skip
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.visible_to(user).filter(is_active=True).order_by("number")
        self.fields["supplier"].label_from_instance = lambda s: f"{s.number} {s.name}"
        self.fields["products"].label_from_instance = _product_label
