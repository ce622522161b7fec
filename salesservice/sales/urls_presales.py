"""Page routes of the pre-sales part, included by urls.py (app_name "sales")."""

from django.urls import path

from . import presales_views as views
from .presales_workflows import INQUIRY_WORKFLOW, TENDER_WORKFLOW

urlpatterns: list = [
    path("inquiries/", views.InquiryListView.as_view(), name="inquiries"),
    path("inquiries/new/", views.inquiry_create, name="inquiry-create"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry-detail"),
    path("inquiries/<int:pk>/reveal/<str:field>/", views.inquiry_reveal, name="inquiry-reveal"),
    path("inquiries/<int:pk>/<slug:action>/", INQUIRY_WORKFLOW.page_view(), name="inquiry-action"),
    path("claims/", views.ProductClaimListView.as_view(), name="productclaims"),
    path("claims/new/", views.claim_create, name="productclaim-create"),
    path("claims/<int:pk>/", views.claim_detail, name="productclaim-detail"),
    path("claims/<int:pk>/<slug:action>/", views.claim_action, name="productclaim-action"),
    path("tenders/", views.TenderListView.as_view(), name="tenders"),
    path("tenders/new/", views.tender_create, name="tender-create"),
    path("tenders/<int:pk>/", views.tender_detail, name="tender-detail"),
    path("tenders/<int:pk>/<slug:action>/", TENDER_WORKFLOW.page_view(), name="tender-action"),
    path("authorisations/", views.RepAuthorisationListView.as_view(), name="repauthorisations"),
    path("authorisations/new/", views.authorisation_create, name="repauthorisation-create"),
    path("authorisations/<int:pk>/", views.authorisation_detail, name="repauthorisation-detail"),
    path("authorisations/<int:pk>/revoke/", views.authorisation_revoke, name="repauthorisation-revoke"),
    path("plans/", views.SalesPlanListView.as_view(), name="salesplans"),
    path("plans/new/", views.plan_create, name="salesplan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="salesplan-detail"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="salesplan-approve"),
]
