"""Outsourced service providers hold their own contact person, phone and address — a business's contact data,
not a customer's (see `core.personal_data`). Declared so that the rule "every model with contact fields is
covered by a handler" holds on purpose; the work they do for a customer is in the service requests."""

from salesservice.core.personal_data import NotCustomerData

from .models import ProviderTechnician, ServiceProvider

HANDLERS = [
    NotCustomerData("外协网点", (ServiceProvider,), "外协网点的联系人、电话和地址是合作单位的信息，不是客户个人数据"),
    NotCustomerData(
        "网点技师", (ProviderTechnician,), "网点技师是合作单位的员工，电话按角色脱敏显示（NET-4），不是客户个人数据"
    ),
]
