from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig

from .roles import ROLE_GRANTS


class PurchasingConfig(DomainAppConfig):
    name = "salesservice.purchasing"
    label = "purchasing"
    verbose_name = _("采购与进货验收")
    role_grants = ROLE_GRANTS
