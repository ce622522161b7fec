"""Forms of the trace pages: the trace search, a new recall, and the recall / task actions (TRC-2)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import RecallLevel, TraceKind


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class TraceSearchForm(forms.Form):
    """Trace by lot number, serial number or customer (code, name or id)."""

    kind = forms.ChoiceField(label=_("按"), choices=TraceKind.choices, initial=TraceKind.LOT)
    q = forms.CharField(label=_("批号 / 序列号 / 客户"), max_length=80)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["q"].widget.attrs.update(placeholder=_("输入批号、序列号或客户编码/名称"), id="trace-q")
        self.fields["kind"].widget.attrs.update(id="trace-kind")


class RecallForm(forms.Form):
    """A new recall (draft): title, level, reason, and the affected lots (one lot / serial number a line)."""

    title = forms.CharField(label=_("召回名称"), max_length=200)
    level = forms.ChoiceField(label=_("召回级别"), choices=RecallLevel.choices, initial=RecallLevel.LEVEL_2)
    reason = forms.CharField(label=_("召回原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    lots = forms.CharField(
        label=_("召回批次"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个批号或序列号"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def lot_numbers(self) -> list[str]:
        raw = self.cleaned_data.get("lots") or ""
        return list(
            dict.fromkeys(
                part.strip() for part in raw.replace("，", "\n").replace(",", "\n").splitlines() if part.strip()
            )
        )


class RecallCloseForm(forms.Form):
    close_note = forms.CharField(
        label=_("说明"), max_length=500, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class TaskContactForm(forms.Form):
    note = forms.CharField(
        label=_("联系记录"),
        max_length=500,
        widget=forms.Textarea(
            attrs={"class": "form-control", "rows": 2, "placeholder": _("已电话告知召回，约定上门收回")}
        ),
    )


class TaskNoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=500, widget=forms.TextInput(attrs={"class": "form-control"}))


class TaskRecoverForm(forms.Form):
    """Recover a quantity of one of the task's lots, optionally into a warehouse's quarantine."""

    lot = forms.TypedChoiceField(label=_("批次"), coerce=int)
    quantity = forms.IntegerField(label=_("收回数量"), min_value=1, max_value=10**9)
    warehouse = forms.TypedChoiceField(label=_("收入仓库待验区"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        from salesservice.inventory.models import Warehouse

        form = cls(data)
        task_lots = list(obj.task_lots.select_related("lot").order_by("id"))
        form.fields["lot"].choices = [
            (row.lot_id, f"{row.lot} （{_('未收回')} {row.outstanding}）") for row in task_lots
        ]
        if len(task_lots) == 1:
            form.fields["lot"].initial = task_lots[0].lot_id
        warehouses = []
        if user is not None and user.has_perm("inventory.move_stock"):
            warehouses = list(Warehouse.objects.visible_to(user).filter(is_active=True).order_by("code"))
        form.fields["warehouse"].choices = [("", _("仅登记数量"))] + [(w.pk, f"{w.code} {w.name}") for w in warehouses]
        _style(form)
        return form

    def service_kwargs(self):
        from salesservice.inventory.models import Warehouse

        warehouse = self.cleaned_data.get("warehouse")
        return {
            "lot": self.cleaned_data["lot"],
            "quantity": self.cleaned_data["quantity"],
            "warehouse": Warehouse.objects.filter(pk=warehouse).first() if warehouse else None,
            "note": self.cleaned_data.get("note") or "",
        }
