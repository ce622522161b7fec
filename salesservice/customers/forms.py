"""Forms of the customer pages. They parse input; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.choices import OrgUnitKind
from salesservice.core.models import OrgUnit, User

from .choices import (
    ConsentChannel,
    ConsentPurpose,
    CustomerType,
    DeviceClassScope,
    IncidentKind,
    InformChannel,
    PropertyKind,
    QualificationKind,
)


def _styled(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.HiddenInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)
    return form


def _aware(value):
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


class CustomerForm(forms.Form):
    """Create / edit a customer. `version` carries the version the edit was based on."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    customer_type = forms.ChoiceField(label=_("客户类型"), choices=CustomerType.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    store = forms.ModelChoiceField(label=_("所属门店"), queryset=OrgUnit.objects.none())
    sales_rep = forms.ModelChoiceField(label=_("负责销售"), queryset=User.objects.none(), required=False)
    is_key_account = forms.BooleanField(label=_("重点客户"), required=False)
    tags = forms.CharField(label=_("标签"), max_length=200, required=False, help_text=_("多个用逗号分隔"))
    phone = forms.CharField(label=_("电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("邮箱"), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    id_number = forms.CharField(
        label=_("证件号码"), max_length=40, required=False, help_text=_("身份证号或统一社会信用代码")
    )
    preferences = forms.CharField(label=_("偏好"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    special_needs = forms.CharField(
        label=_("特殊需求"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("售前咨询中记录的特殊要求"),
    )
    notes = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = OrgUnit.objects.visible_to(user).filter(kind=OrgUnitKind.STORE)
        # issue 12 §8: only people the user may see (no other store's staff, no names leaked)
        self.fields["sales_rep"].queryset = User.objects.visible_to(user).filter(is_active=True).order_by("username")
        _styled(self)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.CharField(label=_("电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("邮箱"), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    position = forms.CharField(label=_("职务"), max_length=60, required=False)
    is_primary = forms.BooleanField(label=_("主要联系人"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("资格类型"), choices=QualificationKind.choices)
    number = forms.CharField(label=_("证号"), max_length=80)
    scope_classes = forms.MultipleChoiceField(
        label=_("经营范围（器械类别）"),
        choices=DeviceClassScope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    issuing_authority = forms.CharField(label=_("发证机关"), max_length=100, required=False)
    valid_from = forms.DateField(label=_("有效期起"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("有效期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空表示长期有效"),
    )
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("证照扫描件"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class PropertyForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=PropertyKind.choices)
    description = forms.CharField(label=_("名称/描述"), max_length=200)
    identifier = forms.CharField(label=_("标识/序列号"), max_length=80, required=False)
    received_at = forms.DateTimeField(
        label=_("接收时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("留空为当前时间"),
    )
    location = forms.CharField(label=_("存放位置"), max_length=100, required=False)
    condition = forms.CharField(label=_("接收时状况"), max_length=200, required=False)
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean_received_at(self):
        return _aware(self.cleaned_data.get("received_at"))


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=IncidentKind.choices)
    description = forms.CharField(label=_("经过说明"), widget=forms.Textarea(attrs={"rows": 2}))
    customer_informed_at = forms.DateTimeField(
        label=_("告知客户时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    informed_how = forms.ChoiceField(label=_("告知方式"), choices=[("", "—"), *InformChannel.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean_customer_informed_at(self):
        return _aware(self.cleaned_data.get("customer_informed_at"))

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        """`report-incident` on one item: a customer's page lists several, so each form's field ids are its own."""
        return cls(data, files, auto_id=f"incident-{obj.pk}-%s")


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("用途"), choices=ConsentPurpose.choices)
    channel = forms.ChoiceField(label=_("方式"), choices=ConsentChannel.choices)
    notes = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class AnonymiseForm(forms.Form):
    reason = forms.CharField(label=_("匿名化原因"), max_length=300)
