"""The Django admin site shows billing's logistics read-only: invoices are changed through
billing.services only (numbers, states and payments have one writer each)."""

from django.contrib import admin

from .models import Invoice


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["code", "practice", "year", "number", "status", "total_minor", "paid_minor"]
    list_filter = ["status", "year"]
    # The columns (contract_program is a join on the contract, not a column).
    readonly_fields = [f.name for f in Invoice._meta.fields if f.concrete]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
