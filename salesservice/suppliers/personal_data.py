"""Suppliers hold a company's contact person, phone and address — a business partner's contact data, not a
customer's (see `core.personal_data`). Declared so that the rule "every model with contact fields is covered
by a handler" holds on purpose."""

from salesservice.core.personal_data import NotCustomerData

from .models import Supplier

HANDLERS = [NotCustomerData("供应商", (Supplier,), "供应商的联系人、电话和地址是合作单位的信息，不是客户个人数据")]
