from django.urls import path

from . import views
from .workflows import DELIVERY_WORKFLOW

app_name = "delivery"

urlpatterns: list = [
    path("", views.DeliveryListView.as_view(), name="deliveries"),
    path("<int:pk>/", views.delivery_detail, name="delivery-detail"),
    path("<int:pk>/signature.png", views.signature_image, name="delivery-signature"),
    path("<int:pk>/trainings/<int:training>/signature.png", views.signature_image, name="training-signature"),
    path("<int:pk>/print/", views.delivery_note_pdf, name="delivery-pdf"),
    path("<int:pk>/print/acceptance/", views.acceptance_pdf, name="acceptance-pdf"),
    path("<int:pk>/print/training/", views.training_pdf, name="training-pdf"),
    path("pick-list/<int:order_pk>/", views.pick_list_pdf, name="pick-list"),
    path("<int:pk>/<slug:action>/", DELIVERY_WORKFLOW.page_view(), name="delivery-action"),
]
