"""The public online service-request form (SRV-1: 在线服务) — no login, rate-limited per IP.

The only page of the service app built with the backend; staff pages live in `views.py`.
"""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from salesservice.core import ratelimit
from salesservice.core.choices import OrgUnitKind
from salesservice.core.exceptions import DomainError
from salesservice.core.models import OrgUnit

from .choices import Channel, ServiceCategory

RATE_LIMIT = 5  # submissions per IP …
RATE_WINDOW_SECONDS = 3600  # … per hour


class PublicRequestForm(forms.Form):
    name = forms.CharField(label=_lazy("您的姓名"), max_length=60)
    phone = forms.RegexField(
        label=_lazy("手机号码"),
        regex=r"^\+?[0-9][0-9\- ]{6,19}$",
        max_length=20,
        error_messages={"invalid": _lazy("请填写正确的电话号码")},
    )
    store = forms.ModelChoiceField(
        label=_lazy("购买/服务门店"),
        queryset=OrgUnit.objects.filter(kind=OrgUnitKind.STORE, is_active=True).order_by("code"),
        empty_label=_lazy("请选择门店"),
    )
    category = forms.ChoiceField(label=_lazy("服务类别"), choices=ServiceCategory.choices)
    product = forms.CharField(label=_lazy("商品（名称/型号）"), max_length=100, required=False)
    description = forms.CharField(label=_lazy("问题描述"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000)
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot: people leave it empty


def _over_limit(request) -> bool:
    """Count this submission; True when the IP already sent RATE_LIMIT within the window (any worker)."""
    return ratelimit.exceeded(
        "service:public-request", ratelimit.client_ip(request), limit=RATE_LIMIT, window=RATE_WINDOW_SECONDS
    )


def submit_public_request(*, name: str, phone: str, store: OrgUnit, category: str, product: str, description: str):
    """Find the customer by phone in that store, or open an individual customer; log the request (online)."""
    from salesservice.customers.choices import CustomerType
    from salesservice.customers.models import Customer
    from salesservice.customers.services import customer_create

    from .services import service_request_create

    phone = "".join(phone.split()).replace("-", "")
    customer = Customer.objects.filter(store=store, phone=phone, is_anonymised=False).order_by(
        "id"
    ).first() or customer_create(
        actor=None, name=name.strip(), customer_type=CustomerType.INDIVIDUAL, store=store, phone=phone
    )
    text = description.strip()
    if product.strip():
        text = _("【商品】%(product)s\n%(text)s") % {"product": product.strip(), "text": text}
    return service_request_create(
        actor=None,
        customer=customer,
        channel=Channel.ONLINE,
        category=category,
        description=text,
        store=store,
        contact_name=name.strip(),
        contact_phone=phone,
    )


@require_http_methods(["GET", "POST"])
def public_request(request):
    """GET the form; POST logs the request and shows its number. Beyond 5 per IP per hour → 429."""
    title = _("在线报修 / 服务申请")
    if request.method == "GET":
        return render(request, "service/public_request.html", {"form": PublicRequestForm(), "title": title})
    if _over_limit(request):
        return render(
            request,
            "service/public_request.html",
            {"title": title, "limited": True, "error": _("提交过于频繁，请一小时后再试，或拨打 400 服务热线。")},
            status=429,
        )
    form = PublicRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "service/public_request.html", {"form": form, "title": title}, status=400)
    data = form.cleaned_data
    if data.get("website"):
        return render(request, "service/public_request.html", {"form": PublicRequestForm(), "title": title}, status=400)
    try:
        service_request = submit_public_request(
            name=data["name"],
            phone=data["phone"],
            store=data["store"],
            category=data["category"],
            product=data.get("product", ""),
            description=data["description"],
        )
    except DomainError as error:
        form.add_error(None, str(error.message))
        return render(request, "service/public_request.html", {"form": form, "title": title}, status=400)
    return render(request, "service/public_request.html", {"title": title, "created": service_request}, status=201)
