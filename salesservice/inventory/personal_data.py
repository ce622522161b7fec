"""A warehouse's address is the company's own premises, not a customer's personal data (see
`core.personal_data`); declared so that the coverage rule holds on purpose."""

from salesservice.core.personal_data import NotCustomerData

from .models import Warehouse

HANDLERS = [NotCustomerData("仓库", (Warehouse,), "仓库地址是本公司的经营场所，不是客户个人数据")]
