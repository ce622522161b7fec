"""Forms of the service desk pages. They parse input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesservice.catalog.models import Product
from salesservice.customers.models import Customer

from .choices import AcceptanceMethod, Channel, DispatchMode, ServiceCategory

STAFF_CHANNELS = [(c.value, c.label) for c in Channel if c not in (Channel.ONLINE, Channel.API)]


def customer_candidates(user, query: str):
    """Active, non-anonymised customers in the user's scope matching `query` (name, pinyin, code, phone)."""
    from salesservice.customers.selectors import customer_search

    queryset = Customer.objects.visible_to(user).filter(is_active=True, is_anonymised=False)
    return customer_search(queryset, query).order_by("name", "pk") if query else queryset


def _style(form):
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


class RequestIntakeForm(forms.Form):
    """Hotline / walk-in / store intake (SRV-1): an existing customer, or quick-create one."""

    # A search box, not a select: a store may have tens of thousands of customers.
    customer = forms.CharField(
        label=_("客户（编码、姓名、拼音或电话）"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    new_customer_name = forms.CharField(label=_("新客户姓名"), max_length=100, required=False)
    new_customer_phone = forms.CharField(label=_("新客户电话"), max_length=30, required=False)
    channel = forms.ChoiceField(label=_("渠道"), choices=STAFF_CHANNELS, initial=Channel.HOTLINE)
    category = forms.ChoiceField(label=_("服务类别"), choices=ServiceCategory.choices, initial=ServiceCategory.REPAIR)
    product = forms.ModelChoiceField(
        label=_("商品"), queryset=Product.objects.filter(is_active=True).order_by("code"), required=False
    )
    serial_number = forms.CharField(label=_("序列号/批号"), max_length=80, required=False)
    purchase_date = forms.DateField(label=_("购买日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 4}))
    contact_name = forms.CharField(label=_("联系人"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    address = forms.CharField(label=_("服务地址"), max_length=200, required=False)
    attachment = forms.FileField(label=_("照片/附件"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["product"].label_from_instance = lambda p: f"{p.code} {p.name} {p.specification}".strip()
        _style(self)
        self.fields["description"].widget.attrs.update(
            {"hx-get": "similar/", "hx-trigger": "input changed delay:500ms", "hx-target": "#similar-articles"}
        )
        self.fields["customer"].widget.attrs.update(
            {"hx-get": "customers/", "hx-trigger": "input changed delay:400ms", "hx-target": "#customer-candidates"}
        )

    def clean_customer(self):
        """The customer the text names: its code, or the one visible customer the search finds."""
        query = (self.cleaned_data.get("customer") or "").strip()
        if not query:
            return None
        visible = customer_candidates(self.user, "")
        exact = visible.filter(code__iexact=query).first()
        if exact is not None:
            return exact
        found = list(customer_candidates(self.user, query)[:6])
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(_("没有找到客户“%(q)s”，可填写下面的新客户信息快速建档") % {"q": query})
        raise forms.ValidationError(
            _("找到多个客户，请从下拉建议中选择或输入客户编码：%(names)s")
            % {"names": "、".join(f"{c.name}（{c.code}）" for c in found)}
        )

    def clean(self):
        data = super().clean()
        if not data.get("customer") and not data.get("new_customer_name"):
            raise forms.ValidationError(_("请选择客户，或填写新客户姓名和电话以快速建档"))
        if not data.get("customer") and not data.get("new_customer_phone"):
            self.add_error("new_customer_phone", _("快速建档需要电话"))
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


def _placeholder(form, name: str, text) -> None:
    form.fields[name].widget.attrs.update({"class": "form-control", "placeholder": text})


class ContactForm(NoteForm):
    """SRV-2: the first contact (what was agreed with the customer, optional)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _placeholder(self, "note", _("联系情况（可选）"))


class ResumeForm(NoteForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _placeholder(self, "note", _("说明（可选）"))


class WaitForm(ReasonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _placeholder(self, "reason", _("等待客户的原因（暂停计时）"))


class CancelForm(ReasonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _placeholder(self, "reason", _("取消原因"))


class RejectForm(ReasonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _placeholder(self, "reason", _("客户不认可的原因"))


def engineer_choices(service_request):
    """Engineers of the request's store, each marked with whether they may take this product (PPL-4).
    The uncertified are listed too so that the refusal is explicit, not a silent omission."""
    from salesservice.core.directory import holders
    from salesservice.people.services import certification_check

    engineers = sorted(
        holders("engineer", service_request.store_id, exact=True), key=lambda u: (u.display_name, u.username)
    )
    choices = []
    for engineer in engineers:
        ok = not certification_check(engineer, service_request.product)
        mark = _("有效上岗资格") if ok else _("无有效上岗资格")
        choices.append((str(engineer.pk), f"{engineer.name} · {mark}"))
    return choices


def provider_choices(service_request):
    from django.db.models import Q

    from salesservice.network.models import ServiceProvider

    providers = ServiceProvider.objects.filter(
        Q(org_unit=service_request.store) | Q(org_unit=service_request.store.parent_id)
    ).order_by("name")
    return [(str(p.pk), f"{p.name} · {p.get_status_display()}") for p in providers]


class DispatchForm(forms.Form):
    """SRV-4/PPL-4/NET-3: an engineer (the service checks the certification) or a provider."""

    mode = forms.ChoiceField(label=_("派工方式"), choices=DispatchMode.choices, initial=DispatchMode.ONSITE)
    engineer = forms.ChoiceField(label=_("工程师"), required=False)
    provider = forms.ChoiceField(label=_("外协网点"), required=False)
    appointment_at = forms.DateTimeField(label=_("预约时间"), required=False, widget=DateTimeLocalInput())
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, engineers=(), providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engineer"].choices = [("", "---------"), *engineers]
        self.fields["provider"].choices = [("", "---------"), *providers]
        _style(self)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data, engineers=engineer_choices(obj), providers=provider_choices(obj))

    def clean(self):
        data = super().clean()
        if data.get("mode") == DispatchMode.PROVIDER and not data.get("provider"):
            raise forms.ValidationError(_("外协派工请选择外协网点"))
        if data.get("mode") and data.get("mode") != DispatchMode.PROVIDER and not data.get("engineer"):
            raise forms.ValidationError(_("请选择工程师"))
        return data

    def service_kwargs(self) -> dict:
        from salesservice.core.models import User
        from salesservice.network.models import ServiceProvider

        data = self.cleaned_data
        by_provider = data["mode"] == DispatchMode.PROVIDER
        return {
            "mode": data["mode"],
            "engineer": None if by_provider else User.objects.filter(pk=data["engineer"]).first(),
            "provider": ServiceProvider.objects.filter(pk=data["provider"]).first() if by_provider else None,
            "appointment_at": data["appointment_at"],
            "note": data["note"],
        }


class WorkRecordForm(forms.Form):
    """One visit (SRV-5): before/after condition confirmed with the customer (seed 002 §6.6.3) and the
    on-site rules (seed 002 §6.6.4)."""

    visited_at = forms.DateTimeField(label=_("服务时间"), widget=DateTimeLocalInput())
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    people = forms.CharField(label=_("人员"), max_length=200, required=False)
    measures = forms.CharField(label=_("处理措施"), widget=forms.Textarea(attrs={"rows": 3}))
    before_appearance = forms.CharField(label=_("维修前·外观"), max_length=200, required=False)
    before_function = forms.CharField(label=_("维修前·功能"), max_length=200, required=False)
    before_performance = forms.CharField(label=_("维修前·性能"), max_length=200, required=False)
    before_confirmed_by_customer = forms.BooleanField(label=_("维修前状况已与客户确认"), required=False)
    after_appearance = forms.CharField(label=_("维修后·外观"), max_length=200, required=False)
    after_function = forms.CharField(label=_("维修后·功能"), max_length=200, required=False)
    after_performance = forms.CharField(label=_("维修后·性能"), max_length=200, required=False)
    after_confirmed_by_customer = forms.BooleanField(label=_("维修后状况已与客户确认"), required=False)
    parts_used = forms.CharField(label=_("使用配件"), max_length=300, required=False)
    protected_equipment = forms.BooleanField(label=_("已保护现场设备设施"), required=False)
    no_unauthorised_use = forms.BooleanField(label=_("未经允许未使用客户设备"), required=False)
    cleaned_up = forms.BooleanField(label=_("完工后已清理恢复现场"), required=False)
    photo = forms.FileField(label=_("照片"), required=False)
    custody_description = forms.CharField(label=_("带回保管物品（登记为顾客财产）"), max_length=200, required=False)
    custody_location = forms.CharField(label=_("保管位置"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def custody_items(self) -> list[dict]:
        """CPR-1: what the engineer takes away is registered in the customer-property register."""
        description = self.cleaned_data.get("custody_description", "").strip()
        if not description:
            return []
        return [{"description": description, "location": self.cleaned_data.get("custody_location", "")}]

    def condition(self, prefix: str) -> dict:
        return {k: self.cleaned_data.get(f"{prefix}_{k}", "") for k in ("appearance", "function", "performance")}

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        from django.utils import timezone

        form = cls(data, files, initial={"visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
        form.request_obj = obj
        return form

    def service_kwargs(self) -> dict:
        import datetime as dt

        data = self.cleaned_data
        visited_at = data["visited_at"]
        received_at = self.request_obj.received_at
        if received_at - dt.timedelta(minutes=1) < visited_at < received_at:
            visited_at = received_at  # the form has minute precision; same minute as intake
        return {
            "visited_at": visited_at,
            "measures": data["measures"],
            "place": data["place"],
            "people": data["people"],
            "condition_before": self.condition("before"),
            "condition_after": self.condition("after"),
            "before_confirmed_by_customer": data["before_confirmed_by_customer"],
            "after_confirmed_by_customer": data["after_confirmed_by_customer"],
            "parts_used": data["parts_used"],
            "protected_equipment": data["protected_equipment"],
            "no_unauthorised_use": data["no_unauthorised_use"],
            "cleaned_up": data["cleaned_up"],
            "photos": [data["photo"]] if data.get("photo") else [],
            "custody_items": self.custody_items(),
        }


class ResolveForm(forms.Form):
    root_cause = forms.CharField(label=_("原因分析"), widget=forms.Textarea(attrs={"rows": 2}))
    solution = forms.CharField(label=_("解决方案"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data, initial={"root_cause": obj.root_cause, "solution": obj.solution})


class ConfirmForm(forms.Form):
    """Staff record the customer's confirmation and how it was given (SRV-6)."""

    method = forms.ChoiceField(
        label=_("确认方式"), choices=[(m.value, m.label) for m in AcceptanceMethod if m != AcceptanceMethod.LINK]
    )
    # The customer's own rating: nothing preselected (issue 12 §11), staff ask and enter it.
    rating = forms.TypedChoiceField(
        label=_("满意度"),
        coerce=int,
        empty_value=None,
        choices=[("", _("请询问客户后选择")), *[(i, "★" * i) for i in range(5, 0, -1)]],
    )
    comment = forms.CharField(label=_("评价"), max_length=500, required=False)
    signer_name = forms.CharField(label=_("签字人"), max_length=60, required=False)
    signature = forms.CharField(widget=forms.HiddenInput, required=False)
    signature_declined_reason = forms.CharField(
        label=_("客户未签字原因"),
        max_length=200,
        required=False,
        help_text=_("当面确认时请客户在下方签名；客户拒绝签字才填写此项。电话确认无需签名。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data, initial={"signer_name": obj.contact_name, "method": AcceptanceMethod.ONSITE})

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["signature_data_url"] = data.pop("signature")
        return data


class PublicAcceptanceForm(forms.Form):
    """The customer's own page (tokenised link): signature, 1–5 rating, comment, or a rejection."""

    decision = forms.ChoiceField(choices=[("accept", _("认可")), ("reject", _("不认可"))])
    rating = forms.TypedChoiceField(
        label=_("满意度"), coerce=int, choices=[(i, str(i)) for i in range(1, 6)], required=False
    )
    comment = forms.CharField(label=_("评价"), max_length=500, required=False)
    signer_name = forms.CharField(label=_("签字人"), max_length=60, required=False)
    signature = forms.CharField(widget=forms.HiddenInput, required=False)
    rejection_reason = forms.CharField(label=_("不认可原因"), max_length=500, required=False)


class CloseForm(forms.Form):
    root_cause = forms.CharField(label=_("原因分析"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    solution = forms.CharField(label=_("解决方案"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data, initial={"root_cause": obj.root_cause, "solution": obj.solution})
