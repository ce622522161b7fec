from django.urls import path

from . import views
from .workflows import QUALIFIED_LIST_WORKFLOW

app_name = "suppliers"

urlpatterns: list = [
    path("", views.SupplierListView.as_view(), name="suppliers"),
    path("new/", views.supplier_create, name="supplier-create"),
    path("import/", views.SupplierImportView.as_view(), name="supplier-import"),
    path("<int:pk>/", views.supplier_detail, name="supplier-detail"),
    path("<int:pk>/edit/", views.supplier_edit, name="supplier-edit"),
    path("<int:pk>/documents/", views.document_add, name="document-add"),
    path("<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("<int:pk>/suspend/", views.suspend, name="suspend"),
    path("<int:pk>/reinstate/", views.reinstate, name="reinstate"),
    path("lists/", views.QualifiedListListView.as_view(), name="lists"),
    path("lists/new/", views.list_create, name="list-create"),
    path("lists/<int:pk>/", views.list_detail, name="list-detail"),
    path("lists/<int:pk>/entries/", views.list_entry_set, name="list-entry-set"),
    path("lists/<int:pk>/entries/<int:supplier_id>/remove/", views.list_entry_remove, name="list-entry-remove"),
    path("lists/<int:pk>/<slug:action>/", QUALIFIED_LIST_WORKFLOW.page_view(), name="list-action"),
]
