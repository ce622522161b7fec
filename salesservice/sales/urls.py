from django.urls import path

from . import views
from .urls_presales import urlpatterns as presales
from .workflows import CONTRACT_WORKFLOW, ORDER_WORKFLOW, QUOTATION_WORKFLOW

app_name = "sales"

urlpatterns: list = [
    *presales,
    path("line-row/", views.line_row, name="line-row"),
    path("quotations/", views.QuotationListView.as_view(), name="quotations"),
    path("quotations/new/", views.quotation_create, name="quotation-create"),
    path("quotations/<int:pk>/", views.quotation_detail, name="quotation-detail"),
    path("quotations/<int:pk>/print/", views.quotation_pdf, name="quotation-pdf"),
    path("quotations/<int:pk>/<slug:action>/", QUOTATION_WORKFLOW.page_view(), name="quotation-action"),
    path("contracts/", views.ContractListView.as_view(), name="contracts"),
    path("contracts/new/", views.contract_create, name="contract-create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/review-sheet/", views.contract_review_pdf, name="contract-review-pdf"),
    path("contracts/<int:pk>/<slug:action>/", CONTRACT_WORKFLOW.page_view(), name="contract-action"),
    path("orders/", views.OrderListView.as_view(), name="orders"),
    path("orders/new/", views.order_create, name="order-create"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/print/", views.order_pdf, name="order-pdf"),
    path("orders/<int:pk>/<slug:action>/", ORDER_WORKFLOW.page_view(), name="order-action"),
    path("receivables/", views.ReceivableListView.as_view(), name="receivables"),
    path("receivables/<int:pk>/pay/", views.receivable_pay, name="receivable-pay"),
    path("records/", views.SalesRecordListView.as_view(), name="records"),
]
