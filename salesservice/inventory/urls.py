from django.urls import path

from . import views
from .workflows import STOCK_COUNT_WORKFLOW

app_name = "inventory"

urlpatterns: list = [
    path("", views.StockListView.as_view(), name="stock"),
    path("analysis/", views.StockAnalysisView.as_view(), name="analysis"),
    path("import/", views.OpeningStockImportView.as_view(), name="opening-import"),
    path("lots/", views.LotListView.as_view(), name="lots"),
    path("lots/<int:pk>/", views.lot_detail, name="lot-detail"),
    path("lots/<int:pk>/hold/", views.lot_hold_toggle, name="lot-hold"),
    path("moves/", views.MoveListView.as_view(), name="moves"),
    path("warehouses/", views.WarehouseListView.as_view(), name="warehouses"),
    path("counts/", views.StockCountListView.as_view(), name="counts"),
    path("counts/new/", views.count_create, name="count-create"),
    path("counts/<int:pk>/", views.count_detail, name="count-detail"),
    path("counts/<int:pk>/print/", views.count_sheet_pdf, name="count-pdf"),
    path("counts/<int:pk>/<slug:action>/", STOCK_COUNT_WORKFLOW.page_view(), name="count-action"),
    path("readings/", views.ReadingListView.as_view(), name="readings"),
    path("readings/new/", views.reading_create, name="reading-create"),
]
