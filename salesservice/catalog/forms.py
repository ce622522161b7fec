"""Forms of the catalog pages; each form's data goes to one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import RestrictionReason
from .models import Product, ProductCategory
from .services import PRODUCT_FIELDS

# How the product form and page group the attributes.
BASIC_FIELDS = [
    "code",
    "name",
    "specification",
    "category",
    "unit",
    "brand",
    "price",
    "warranty_months",
    "tracking_mode",
    "is_active",
]
STORAGE_FIELDS = [
    "shelf_life_tracked",
    "shelf_life_days",
    "storage_temp_min",
    "storage_temp_max",
    "storage_humidity_min",
    "storage_humidity_max",
    "acceptance_template",
]
REGULATORY_FIELDS = [
    "manufacturer",
    "manufacturer_licence_no",
    "origin",
    "device_class",
    "registration_no",
    "registration_expiry",
    "production_licence_required",
    "production_licence_no",
    "has_certificate_of_conformity",
    "has_chinese_label",
]
FIELD_GROUPS = [
    (_("基本信息"), BASIC_FIELDS),
    (_("存储与验收"), STORAGE_FIELDS),
    (_("法规信息"), REGULATORY_FIELDS),
]


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


class ProductForm(forms.ModelForm):
    """Create and edit a product. On edit `version` carries the version the user read (stale → error)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Product
        fields = ["code", *PRODUCT_FIELDS]
        widgets = {
            "registration_expiry": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProductCategory.objects.filter(is_active=True).order_by("path")
        if editing:
            self.fields["code"].disabled = True
            self.fields["version"].required = True
        _style(self)

    def groups(self):
        return [(label, [self[name] for name in names]) for label, names in FIELD_GROUPS]

    def validate_unique(self):
        # The service reports a duplicate code (one message for page, API and import).
        pass

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class RestrictForm(forms.Form):
    """QA: mark the product unsellable (PRD-1)."""

    reason_code = forms.ChoiceField(label=_("禁售原因"), choices=RestrictionReason.choices)
    reason = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("证据文件"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("解除原因"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class CategoryForm(forms.Form):
    code = forms.CharField(label=_("编码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=100)
    parent = forms.ModelChoiceField(
        label=_("上级分类"), queryset=ProductCategory.objects.order_by("path"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
