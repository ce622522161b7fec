"""Forms of the delivery pages: the ship form of the sales order page (DEL-1), and the delivery page's
acceptance checklist with the signature pad (DEL-3), training record (DEL-4), incident (DEL-2), concession
and release (DEL-6) forms. Each parses input for one service (`service_kwargs`); the rules are the service's."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import CheckItem, CheckResult, IncidentKind, InformChannel


def styled(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")
    return form


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


def _moment_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ShipForm(StyledForm):
    """DEL-1: the sales order page's 发货 button — packing fit for transport, carrier and tracking number."""

    carrier = forms.CharField(label=_("承运方"), max_length=100, help_text=_("物流公司，或“门店自送”"))
    tracking_no = forms.CharField(label=_("运单号"), max_length=60)
    packing = forms.CharField(
        label=_("包装方式"), max_length=200, help_text=_("适合运输的包装：原厂纸箱 + 缓冲泡沫 + 木架等（DEL-1）")
    )
    package_count = forms.IntegerField(label=_("件数"), min_value=1, max_value=100_000, initial=1)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data)


class NoteForm(StyledForm):
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class AcceptForm(StyledForm):
    """DEL-3: the joint final check — one result per item, an optional defective-unit replacement from stock,
    the customer's signature (signature pad) or why they would not sign."""

    signer_name = forms.CharField(label=_("客户签字人"), max_length=60, required=False)
    signature = forms.CharField(widget=forms.HiddenInput, required=False)
    signature_declined_reason = forms.CharField(
        label=_("客户未签字原因"),
        max_length=200,
        required=False,
        help_text=_("请客户在上方签名；客户拒绝签字才填写此项。"),
    )
    replace_line = forms.TypedChoiceField(
        label=_("更换缺陷品（交付明细）"), coerce=int, required=False, empty_value=None
    )
    replace_quantity = forms.IntegerField(label=_("更换数量"), min_value=1, max_value=100_000, required=False)
    replace_note = forms.CharField(label=_("缺陷说明"), max_length=300, required=False)
    note = forms.CharField(
        label=_("验收结论"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, delivery=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.delivery = delivery
        for item in CheckItem:
            choices = list(CheckResult.choices)
            if item == CheckItem.INSTALLATION and delivery is not None and delivery.installation_required:
                choices = [c for c in choices if c[0] != CheckResult.NA]
            self.fields[f"check_{item.value}"] = forms.ChoiceField(
                label=item.label, choices=choices, widget=forms.RadioSelect
            )
            self.fields[f"note_{item.value}"] = forms.CharField(
                label=_("说明"),
                max_length=300,
                required=False,
                widget=forms.TextInput(
                    attrs={"placeholder": _("说明（可选）"), "class": "form-control form-control-sm"}
                ),
            )
        lines = list(delivery.lines.select_related("product", "lot")) if delivery is not None else []
        self.fields["replace_line"].choices = [("", _("无需更换"))] + [
            (line.pk, f"{line.product.name} · {line.lot.serial_number or line.lot.lot_number or '—'} ×{line.quantity}")
            for line in lines
        ]
        if delivery is not None:
            self.initial.setdefault("signer_name", delivery.order.ship_to_contact)
        styled(self)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data, delivery=obj)

    def check_rows(self):
        """(item label, result field, note field) for the template."""
        return [(item.label, self[f"check_{item.value}"], self[f"note_{item.value}"]) for item in CheckItem]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        replacements = []
        if data.get("replace_line") and data.get("replace_quantity"):
            replacements.append(
                {
                    "line": data["replace_line"],
                    "quantity": data["replace_quantity"],
                    "note": data.get("replace_note", ""),
                }
            )
        return {
            "checks": [
                {"item": item.value, "result": data[f"check_{item.value}"], "note": data.get(f"note_{item.value}", "")}
                for item in CheckItem
            ],
            "replacements": replacements,
            "signer_name": data.get("signer_name", ""),
            "signature_data_url": data.get("signature", ""),
            "signature_declined_reason": data.get("signature_declined_reason", ""),
            "note": data.get("note", ""),
        }


class TrainingForm(StyledForm):
    """DEL-4: the customer training record, confirmed by the customer's signature or name."""

    trained_on = forms.DateField(label=_("培训日期"), widget=forms.DateInput(attrs={"type": "date"}))
    trainer_name = forms.CharField(label=_("培训人"), max_length=60)
    trainees = forms.CharField(label=_("受训人员"), max_length=300, help_text=_("姓名、科室/岗位，多人用顿号分隔"))
    content = forms.CharField(label=_("培训内容"), widget=forms.Textarea(attrs={"rows": 2}))
    customer_signer_name = forms.CharField(label=_("客户确认人"), max_length=60, required=False)
    signature = forms.CharField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        initial = {"trained_on": timezone.localdate(), "trainer_name": getattr(user, "name", "")}
        return cls(data, initial=initial)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["signature_data_url"] = data.pop("signature", "")
        return data


class IncidentForm(StyledForm):
    """DEL-2: a delay or damage, and — if already done — how the customer was told and the remedy."""

    kind = forms.ChoiceField(label=_("异常类型"), choices=IncidentKind.choices)
    description = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 2}))
    occurred_at = forms.DateTimeField(label=_("发生时间"), required=False, widget=_moment_widget())
    customer_informed_at = forms.DateTimeField(label=_("告知客户时间"), required=False, widget=_moment_widget())
    informed_how = forms.ChoiceField(label=_("告知方式"), choices=[("", "—"), *InformChannel.choices], required=False)
    remedy = forms.CharField(label=_("补救措施"), max_length=2000, required=False)


class InformForm(StyledForm):
    """DEL-2: an incident told to the customer later — when, how, the remedy."""

    incident = forms.TypedChoiceField(label=_("交付异常"), coerce=int)
    customer_informed_at = forms.DateTimeField(label=_("告知客户时间"), widget=_moment_widget())
    informed_how = forms.ChoiceField(label=_("告知方式"), choices=InformChannel.choices)
    remedy = forms.CharField(label=_("补救措施"), max_length=2000)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        form = cls(data, initial={"customer_informed_at": timezone.localtime().replace(second=0, microsecond=0)})
        form.fields["incident"].choices = [
            (i.pk, f"{i.get_kind_display()} · {timezone.localtime(i.occurred_at):%m-%d %H:%M}")
            for i in obj.incidents.filter(customer_informed_at__isnull=True)
        ]
        return form


class ConcessionForm(StyledForm):
    """DEL-6 (004 §4.6.2): the customer approves release before every required activity is done."""

    customer_representative = forms.CharField(label=_("批准让步的客户代表"), max_length=60)
    reason = forms.CharField(label=_("让步理由"), max_length=300)
    lawful = forms.BooleanField(label=_("放行和交付符合法律法规的要求"), required=False)
    recallable = forms.BooleanField(label=_("产品追溯清楚，一旦出现不合格可以立即追回"), required=False)
