from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig

from .roles import ROLE_GRANTS


class InventoryConfig(DomainAppConfig):
    name = "salesservice.inventory"
    label = "inventory"
    verbose_name = _("库存")
    role_grants = ROLE_GRANTS
