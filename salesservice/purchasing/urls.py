from django.urls import path

from . import views
from .workflows import ORDER_WORKFLOW, RECEIPT_WORKFLOW, REQUISITION_WORKFLOW

app_name = "purchasing"

urlpatterns: list = [
    path("requisitions/", views.RequisitionListView.as_view(), name="requisitions"),
    path("requisitions/new/", views.requisition_create, name="requisition-create"),
    path("requisitions/<int:pk>/", views.requisition_detail, name="requisition-detail"),
    path("requisitions/<int:pk>/<slug:action>/", REQUISITION_WORKFLOW.page_view(), name="requisition-action"),
    path("orders/", views.OrderListView.as_view(), name="orders"),
    path("orders/new/", views.order_create, name="order-create"),
    path("orders/line-row/", views.order_line_row, name="order-line-row"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/edit/", views.order_edit, name="order-edit"),
    path("orders/<int:pk>/print/", views.order_pdf, name="order-pdf"),
    path("orders/<int:pk>/receive/", views.receipt_create, name="receipt-create"),
    path("orders/<int:pk>/<slug:action>/", ORDER_WORKFLOW.page_view(), name="order-action"),
    path("receipts/", views.ReceiptListView.as_view(), name="receipts"),
    path("receipts/<int:pk>/", views.receipt_detail, name="receipt-detail"),
    path("receipts/<int:pk>/print/", views.receipt_pdf, name="receipt-pdf"),
    path("receipts/<int:pk>/<slug:action>/", RECEIPT_WORKFLOW.page_view(), name="receipt-action"),
    path("trace/", views.trace, name="trace"),
]
