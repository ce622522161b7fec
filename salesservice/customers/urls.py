from django.urls import path

from . import views
from .workflows import PROPERTY_WORKFLOW

property_action = PROPERTY_WORKFLOW.page_view()

app_name = "customers"

urlpatterns = [
    path("", views.CustomerListView.as_view(), name="customers"),
    path("new/", views.customer_create, name="customer-create"),
    path("import/", views.CustomerImportView.as_view(), name="customer-import"),
    path("property/", views.PropertyRegisterView.as_view(), name="property-register"),
    path("property/<int:pk>/", views.property_detail, name="property-detail"),
    # The item's actions (PROPERTY_WORKFLOW): at their old addresses and at the workflow's action URL.
    path("property/<int:pk>/incident/", property_action, {"action": "report-incident"}, name="property-incident"),
    path("property/<int:pk>/return/", property_action, {"action": "return"}, name="property-return"),
    path("property/<int:pk>/<slug:action>/", property_action, name="property-action"),
    path("contacts/<int:pk>/reveal/<str:field>/", views.contact_reveal, name="contact-reveal"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent-withdraw"),
    path("<int:pk>/", views.customer_detail, name="customer-detail"),
    path("<int:pk>/edit/", views.customer_edit, name="customer-edit"),
    path("<int:pk>/reveal/<str:field>/", views.customer_reveal, name="customer-reveal"),
    path("<int:pk>/contacts/add/", views.contact_add, name="contact-add"),
    path("<int:pk>/qualifications/add/", views.qualification_add, name="qualification-add"),
    path("<int:pk>/property/add/", views.property_add, name="property-add"),
    path("<int:pk>/consents/add/", views.consent_add, name="consent-add"),
    path("<int:pk>/export/", views.customer_export, name="customer-export"),
    path("<int:pk>/anonymise/", views.customer_anonymise, name="customer-anonymise"),
]
