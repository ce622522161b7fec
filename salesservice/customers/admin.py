"""Django admin for customers' master data. Personal data shows masked in lists; edits are audited."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from salesservice.core import privacy

from .models import Consent, Contact, Customer, CustomerProperty, CustomerTag, PropertyIncident, Qualification


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "position", "phone", "email", "is_primary"]


class QualificationInline(admin.TabularInline):
    model = Qualification
    extra = 0
    fields = ["kind", "number", "scope_classes", "valid_from", "valid_until"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "customer_type", "store", "sales_rep", "is_key_account", "masked_phone"]
    list_filter = ["customer_type", "is_key_account", "is_anonymised", "store"]
    search_fields = ["code", "name", "pinyin_full", "pinyin_initials"]
    readonly_fields = ["code", "pinyin_full", "pinyin_initials", "version", "is_anonymised", "anonymised_at"]
    autocomplete_fields = ["store"]
    filter_horizontal = ["tags"]
    inlines = [ContactInline, QualificationInline]

    @admin.display(description=_("电话"))
    def masked_phone(self, obj):
        return privacy.mask_phone(obj.phone)


@admin.register(CustomerTag)
class CustomerTagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["customer", "kind", "number", "scope_classes", "valid_from", "valid_until", "reminded_for"]
    list_filter = ["kind"]
    search_fields = ["number", "customer__name", "customer__code"]
    raw_id_fields = ["customer"]


class PropertyIncidentInline(admin.TabularInline):
    model = PropertyIncident
    extra = 0
    readonly_fields = ["reported_at"]


@admin.register(CustomerProperty)
class CustomerPropertyAdmin(admin.ModelAdmin):
    list_display = ["description", "identifier", "customer", "kind", "status", "holder", "received_at"]
    list_filter = ["kind", "status"]
    search_fields = ["description", "identifier", "customer__name"]
    raw_id_fields = ["customer"]
    inlines = [PropertyIncidentInline]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["customer", "purpose", "channel", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "channel"]
    raw_id_fields = ["customer"]

    def has_delete_permission(self, request, obj=None):
        return False  # consents are withdrawn, never deleted
