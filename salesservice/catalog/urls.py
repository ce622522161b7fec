from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("products/", views.ProductListView.as_view(), name="products"),
    path("products/new/", views.product_create, name="product-create"),
    path("products/import/", views.ProductImportView.as_view(), name="product-import"),
    path("products/<int:pk>/", views.product_detail, name="product-detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product-edit"),
    path("products/<int:pk>/restrict/", views.product_restrict, name="product-restrict"),
    path(
        "products/<int:pk>/restrictions/<int:restriction_pk>/lift/",
        views.product_restriction_lift,
        name="product-restriction-lift",
    ),
    path("categories/", views.CategoryListView.as_view(), name="categories"),
    path("categories/new/", views.category_create, name="category-create"),
    path("inspection-templates/", views.InspectionTemplateListView.as_view(), name="inspection-templates"),
    path("inspection-templates/<int:pk>/", views.inspection_template_detail, name="inspection-template-detail"),
]
