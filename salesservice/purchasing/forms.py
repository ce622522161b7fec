"""Forms of the purchasing pages: requisition and order with lines, receipt from an order, and the
inspection (SUP-6/SUP-7) and put-away forms of the receipt page (built per line from the record)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesservice.catalog.choices import TrackingMode
from salesservice.catalog.models import Product

from .choices import CheckResult


def styled(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


def _products():
    return Product.objects.filter(is_active=True).order_by("code")


def _product_field():
    field = forms.ModelChoiceField(label=_("商品"), queryset=_products())
    field.label_from_instance = lambda p: f"{p.code} {p.name} {p.specification}".strip()
    return field


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


# --- workflow action forms ------------------------------------------------------------------


class NoteForm(StyledForm):
    note = forms.CharField(label=_("审批意见"), max_length=300, required=False)


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("理由"), max_length=300)


class CloseForm(StyledForm):
    reason = forms.CharField(label=_("关闭理由（未到齐时必填）"), max_length=300, required=False)


# --- requisition ----------------------------------------------------------------------------


class RequisitionForm(StyledForm):
    reason = forms.CharField(label=_("申请理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequisitionLineForm(StyledForm):
    product = _product_field()
    quantity = forms.IntegerField(label=_("数量"), min_value=1)
    needed_by = forms.DateField(
        label=_("需求日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"] = _product_field()
        styled(self)


RequisitionLineFormSet = forms.formset_factory(RequisitionLineForm, extra=0, min_num=1, validate_min=True)


# --- purchase order -------------------------------------------------------------------------


class OrderForm(StyledForm):
    """The purchase contract's head (SUP-4 terms: required before submission, may be drafted empty)."""

    supplier = forms.ModelChoiceField(label=_("供应商"), queryset=None)
    warehouse = forms.ModelChoiceField(label=_("收货仓库"), queryset=None)
    order_date = forms.DateField(label=_("订货日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    quality_standard = forms.CharField(
        label=_("质量标准"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("SUP-4：提交前必填")
    )
    acceptance_method = forms.CharField(
        label=_("验收方式"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("SUP-4：提交前必填")
    )
    return_terms = forms.CharField(
        label=_("退换货条款"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("SUP-4：提交前必填"),
    )
    payment_terms = forms.CharField(label=_("付款条件"), max_length=300, required=False)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        from salesservice.inventory.models import Warehouse
        from salesservice.suppliers.models import Supplier

        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.order_by("number")
        self.fields["supplier"].label_from_instance = lambda s: f"{s.number} {s.name}"
        warehouses = Warehouse.objects.filter(is_active=True).order_by("code")
        if user is not None:
            warehouses = warehouses.visible_to(user)
        self.fields["warehouse"].queryset = warehouses
        styled(self)


class OrderLineForm(StyledForm):
    product = _product_field()
    quantity = forms.IntegerField(label=_("数量"), min_value=1)
    unit_price = forms.DecimalField(label=_("单价（元）"), min_value=0, max_digits=12, decimal_places=2)
    due_date = forms.DateField(label=_("交货日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"] = _product_field()
        styled(self)


OrderLineFormSet = forms.formset_factory(OrderLineForm, extra=0, min_num=1, validate_min=True, can_delete=True)


# --- receipt from an order ------------------------------------------------------------------


class ReceiptForm(StyledForm):
    """A receipt against an approved order: one row per outstanding order line (PRD-3 fields per tracking
    mode). Fields `l<id>_quantity`, `l<id>_lot_number`, `l<id>_serial_numbers`, `l<id>_production_date`,
    `l<id>_expiry_date`; a row left at quantity 0 is not received now."""

    delivery_note = forms.CharField(label=_("送货单号"), max_length=60, required=False)
    note = forms.CharField(label=_("备注"), required=False)

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.rows = []
        for line in order.lines.select_related("product").order_by("id"):
            if not line.outstanding:
                continue
            product = line.product
            prefix = f"l{line.pk}_"
            self.fields[prefix + "quantity"] = forms.IntegerField(
                label=_("到货数量"), min_value=0, max_value=line.outstanding, initial=line.outstanding, required=False
            )
            self.fields[prefix + "lot_number"] = forms.CharField(
                label=_("批号"), max_length=80, required=product.tracking_mode == TrackingMode.BATCH
            )
            self.fields[prefix + "serial_numbers"] = forms.CharField(
                label=_("序列号（每行一个）"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[prefix + "production_date"] = forms.DateField(
                label=_("生产日期"),
                required=product.shelf_life_tracked,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
            self.fields[prefix + "expiry_date"] = forms.DateField(
                label=_("有效期至"),
                required=product.shelf_life_tracked,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
            self.rows.append((line, prefix))
        styled(self)

    def row_fields(self):
        """(order line, [bound fields]) for the template, showing only what the tracking mode asks."""
        result = []
        for line, prefix in self.rows:
            product = line.product
            names = ["quantity"]
            if product.tracking_mode == TrackingMode.SERIAL:
                names.append("serial_numbers")
            if product.tracking_mode in (TrackingMode.BATCH, TrackingMode.SERIAL):
                names.append("lot_number")
            if product.shelf_life_tracked:
                names += ["production_date", "expiry_date"]
            result.append((line, [self[prefix + name] for name in names]))
        return result

    def service_lines(self) -> list[dict]:
        lines = []
        for line, prefix in self.rows:
            data = self.cleaned_data
            serials = (data.get(prefix + "serial_numbers") or "").split()
            quantity = data.get(prefix + "quantity") or 0
            if line.product.tracking_mode == TrackingMode.SERIAL and serials and not quantity:
                quantity = len(serials)
            if not quantity and not serials:
                continue
            lines.append(
                {
                    "order_line": line.pk,
                    "quantity": quantity,
                    "lot_number": data.get(prefix + "lot_number") or "",
                    "serial_numbers": serials,
                    "production_date": data.get(prefix + "production_date"),
                    "expiry_date": data.get(prefix + "expiry_date"),
                }
            )
        return lines


# --- inspection and put-away (the receipt page) ---------------------------------------------


class InspectForm(forms.Form):
    """Receiving inspection (SUP-6, SUP-7): per line the checklist of the product's acceptance standard
    (pass / fail, note), accepted and rejected quantities, the rejected serial numbers and the description
    of the nonconformity. Built from the receipt (`for_action`)."""

    note = forms.CharField(label=_("验收结论"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data, receipt=obj)

    def __init__(self, data=None, *, receipt=None):
        from .services import template_items

        super().__init__(data)
        self.receipt = receipt
        self.rows = []
        for line in receipt.lines.select_related("product", "product__acceptance_template").order_by("id"):
            prefix = f"l{line.pk}_"
            self.fields[prefix + "accepted"] = forms.IntegerField(
                label=_("合格数"), min_value=0, max_value=line.quantity, initial=line.quantity
            )
            self.fields[prefix + "rejected"] = forms.IntegerField(
                label=_("不合格数"), min_value=0, max_value=line.quantity, initial=0
            )
            self.fields[prefix + "note"] = forms.CharField(label=_("不合格描述"), required=False)
            if line.serial_numbers:
                self.fields[prefix + "rejected_serials"] = forms.CharField(
                    label=_("不合格序列号（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
            checks = []
            for item in template_items(line.product):
                name = f"{prefix}c{item.pk}"
                self.fields[name] = forms.ChoiceField(
                    label=f"{item.get_group_display()}：{item.text}",
                    choices=CheckResult.choices,
                    initial=CheckResult.PASS,
                    widget=forms.RadioSelect,
                )
                self.fields[name + "_note"] = forms.CharField(label=_("说明"), required=False, max_length=300)
                checks.append((item, name))
            self.rows.append((line, prefix, checks))
        styled(self)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "form-check-input"

    def line_rows(self):
        return [
            {
                "line": line,
                "accepted": self[prefix + "accepted"],
                "rejected": self[prefix + "rejected"],
                "note": self[prefix + "note"],
                "serials": self[prefix + "rejected_serials"] if (prefix + "rejected_serials") in self.fields else None,
                "checks": [(item, self[name], self[name + "_note"]) for item, name in checks],
            }
            for line, prefix, checks in self.rows
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        lines = []
        for line, prefix, checks in self.rows:
            lines.append(
                {
                    "line": line.pk,
                    "accepted": data[prefix + "accepted"],
                    "rejected": data[prefix + "rejected"],
                    "note": data.get(prefix + "note") or "",
                    "rejected_serials": (data.get(prefix + "rejected_serials") or "").split(),
                    "checks": [
                        {"item": item.pk, "result": data[name], "note": data.get(name + "_note") or ""}
                        for item, name in checks
                    ],
                }
            )
        return {"lines": lines, "note": data.get("note") or ""}


class PutAwayForm(forms.Form):
    """Put-away (SUP-7): a storage location of the receipt's warehouse for each line with accepted goods."""

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data, receipt=obj)

    def __init__(self, data=None, *, receipt=None):
        from salesservice.inventory.models import Location

        super().__init__(data)
        self.receipt = receipt
        self.rows = []
        locations = Location.objects.filter(warehouse=receipt.warehouse_id, kind="storage", is_active=True).order_by(
            "code"
        )
        for line in receipt.lines.select_related("product").order_by("id"):
            if not line.accepted_quantity:
                continue
            name = f"l{line.pk}_location"
            self.fields[name] = forms.ModelChoiceField(label=_("货位"), queryset=locations)
            self.fields[name].label_from_instance = lambda loc: f"{loc.code} {loc.name}"
            self.rows.append((line, name))
        styled(self)

    def line_rows(self):
        return [(line, self[name]) for line, name in self.rows]

    def service_kwargs(self) -> dict:
        return {"lines": [{"line": line.pk, "location": self.cleaned_data[name].pk} for line, name in self.rows]}
