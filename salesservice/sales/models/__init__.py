"""The sales app's models, split by concept (DESIGN §3: files stay small).

- presales: inquiries (PRE-1, PRE-3), QA-approved product claims (PRE-2), tenders (SAL-3), sales-rep
  authorisation letters (BUY-2), annual sales plans (SAL-4).
- quotations / contracts: quotations with price approval by discount band; contracts with their review
  (SAL-1), approval, signature and deposit (SAL-2) and versioned amendments (SAL-8).
- orders: sales orders with review (SAL-5), progress schedule (SAL-7), receivables and payments (DEL-5)
  and the GSP sales record (TRC-1, TRC-4).
"""

from .contracts import Contract, ContractAmendment, ContractLine, ContractReview, Quotation, QuotationLine
from .orders import OrderStep, PaymentRecord, Receivable, SalesOrder, SalesOrderLine, SalesRecord
from .presales import Inquiry, ProductClaim, RepAuthorisation, SalesPlan, SalesPlanMonth, Tender

__all__ = [
    "Contract",
    "ContractAmendment",
    "ContractLine",
    "ContractReview",
    "Inquiry",
    "OrderStep",
    "PaymentRecord",
    "ProductClaim",
    "Quotation",
    "QuotationLine",
    "Receivable",
    "RepAuthorisation",
    "SalesOrder",
    "SalesOrderLine",
    "SalesPlan",
    "SalesPlanMonth",
    "SalesRecord",
    "Tender",
]
