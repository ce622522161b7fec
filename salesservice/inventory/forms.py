"""Forms of the inventory pages: the stock count's actions (INV-2), a new count, a storage reading (INV-1)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import LocationKind
from .models import Location, Warehouse


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class CountRecordForm(forms.Form):
    """One counted quantity and one reason field per line of the count sheet (`qty_<id>`, `reason_<id>`)."""

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        form = cls(data)
        form.lines = list(obj.lines.select_related("lot", "lot__product", "location").order_by("location__code", "pk"))
        for line in form.lines:
            form.fields[f"qty_{line.pk}"] = forms.IntegerField(
                label=f"{line.location.code} · {line.lot.product.name} · {line.lot}",
                min_value=0,
                required=False,
                initial=line.counted_quantity,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "style": "width:7em"}),
            )
            form.fields[f"reason_{line.pk}"] = forms.CharField(
                label=_("差异原因"),
                max_length=300,
                required=False,
                initial=line.reason,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
        return form

    def rows(self):
        return [(line, self[f"qty_{line.pk}"], self[f"reason_{line.pk}"]) for line in self.lines]

    def service_kwargs(self):
        return {
            "lines": [
                {
                    "line": line.pk,
                    "counted_quantity": self.cleaned_data.get(f"qty_{line.pk}"),
                    "reason": self.cleaned_data.get(f"reason_{line.pk}") or "",
                }
                for line in self.lines
            ]
        }


class CountApproveForm(forms.Form):
    note = forms.CharField(
        label=_("审批意见"), max_length=300, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class CountReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"), max_length=300, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class CountCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("取消原因"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("取消原因")}),
    )


class StockCountForm(forms.Form):
    warehouse = forms.ModelChoiceField(label=_("仓库"), queryset=Warehouse.objects.none())
    location = forms.ModelChoiceField(label=_("库位（空：整个仓库）"), queryset=Location.objects.none(), required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = Warehouse.objects.visible_to(user).filter(is_active=True)
        self.fields["location"].queryset = Location.objects.visible_to(user).select_related("warehouse")
        _style(self)


class ReadingForm(forms.Form):
    location = forms.ModelChoiceField(label=_("库位"), queryset=Location.objects.none())
    temperature = forms.DecimalField(label=_("温度（°C）"), max_digits=5, decimal_places=1, required=False)
    humidity = forms.IntegerField(label=_("湿度（%）"), min_value=0, max_value=100, required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = (
            Location.objects.visible_to(user)
            .filter(is_active=True)
            .exclude(kind=LocationKind.REJECTED)
            .select_related("warehouse")
        )
        _style(self)


class AnalysisForm(forms.Form):
    """The stock analysis's parameters (INV-3). Dates are read as text and checked by `reports.parameters`,
    so a bad period gets the report's own Chinese message (400 `inventory.invalid_period`)."""

    start = forms.CharField(
        label=_("开始日期"), required=False, max_length=20, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.CharField(
        label=_("结束日期"), required=False, max_length=20, widget=forms.DateInput(attrs={"type": "date"})
    )
    warehouse = forms.ModelChoiceField(label=_("仓库"), queryset=Warehouse.objects.none(), required=False)
    q = forms.CharField(label=_("商品编码/名称"), required=False, max_length=100)
    flag = forms.ChoiceField(
        label=_("只看"),
        required=False,
        choices=[("", _("全部")), ("slow", _("呆滞")), ("risk", _("缺货风险")), ("reorder", _("建议补货"))],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = Warehouse.objects.visible_to(user).filter(is_active=True)
        _style(self)
