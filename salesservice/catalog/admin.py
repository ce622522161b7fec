from django.contrib import admin

from .models import InspectionItem, InspectionTemplate, Product, ProductCategory, ProductRestriction


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "is_active"]
    search_fields = ["code", "name"]
    readonly_fields = ["path", "version"]


class InspectionItemInline(admin.TabularInline):
    model = InspectionItem
    extra = 0


@admin.register(InspectionTemplate)
class InspectionTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    search_fields = ["name"]
    inlines = [InspectionItemInline]


class ProductRestrictionInline(admin.TabularInline):
    model = ProductRestriction
    extra = 0
    can_delete = False  # flags are never deleted (PRD-1): lift them instead
    raw_id_fields = ["evidence", "set_by", "lifted_by"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "specification", "category", "device_class", "price", "is_active"]
    list_filter = ["device_class", "tracking_mode", "is_active", "category"]
    search_fields = ["code", "name", "specification", "brand", "manufacturer", "registration_no"]
    list_select_related = ["category"]
    readonly_fields = ["version"]
    inlines = [ProductRestrictionInline]


@admin.register(ProductRestriction)
class ProductRestrictionAdmin(admin.ModelAdmin):
    list_display = ["product", "reason_code", "set_by", "set_at", "lifted_at"]
    list_filter = ["reason_code"]
    raw_id_fields = ["product", "evidence", "set_by", "lifted_by"]

    def has_delete_permission(self, request, obj=None):
        return False
