from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig

from .roles import ROLE_GRANTS


class SuppliersConfig(DomainAppConfig):
    name = "salesservice.suppliers"
    label = "suppliers"
    verbose_name = _("供应商")
    role_grants = ROLE_GRANTS
