"""Django admin for lifecycle logistics only: no need, theme, objectives or notes here."""

from django.contrib import admin

from .models import Contract, Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["code", "practice", "status", "expires_on", "created_at"]
    list_filter = ["status"]
    fields = ("practice", "status", "expires_on", "price_minor", "currency")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["code", "practice", "status", "created_at"]
    list_filter = ["status"]
    fields = ("practice", "status")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
