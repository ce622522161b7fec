"""URLs of the service desk pages (included by urls.py)."""

from django.urls import path

from . import desk_views as views
from .workflows import KNOWLEDGE_WORKFLOW, REQUEST_WORKFLOW

urlpatterns = [
    path("requests/", views.RequestListView.as_view(), name="requests"),
    path("requests/new/", views.request_create, name="request-create"),
    path("requests/summary/", views.request_summary, name="request-summary"),
    path("requests/new/similar/", views.similar_articles, name="similar-articles"),
    path("requests/new/customers/", views.customer_lookup, name="customer-lookup"),
    path("requests/new/customer-profile/", views.customer_profile, name="customer-profile"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/report.pdf", views.request_report, name="request-report"),
    path("requests/<int:pk>/reveal/<str:field>/", views.request_reveal, name="request-reveal"),
    path("requests/<int:pk>/<slug:action>/", REQUEST_WORKFLOW.page_view(), name="request-action"),
    path("accept/<str:token>/", views.acceptance_page, name="acceptance"),
    path("knowledge/", views.KnowledgeListView.as_view(), name="knowledge"),
    path("knowledge/<int:pk>/", views.knowledge_detail, name="knowledge-detail"),
    path("knowledge/<int:pk>/<slug:action>/", KNOWLEDGE_WORKFLOW.page_view(), name="knowledge-action"),
]
