"""The Django admin shows logistics only. Encrypted content (referral notes) is never a
field here, and the reflective journal is not registered at all: it is its author's alone."""

from django.contrib import admin

from .models import (
    AccessEvent,
    CCEEntry,
    Consent,
    ErasureRequest,
    EthicsAttestation,
    ProBonoProgram,
    Referral,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "practice", "reader", "subject", "label", "kind"]
    list_filter = ["kind", "practice"]
    fields = [
        "at",
        "practice",
        "reader",
        "subject",
        "content_type",
        "object_id",
        "label",
        "kind",
        "path",
    ]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = [
        "practice",
        "client",
        "sponsor",
        "kind",
        "text_version",
        "given_at",
        "withdrawn_at",
    ]
    list_filter = ["kind", "practice"]
    fields = ["practice", "client", "sponsor", "kind", "text_version", "given_at", "withdrawn_at"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["code", "coach", "professional", "follow_up_on", "created_at", "closed_at"]
    fields = [
        "code",
        "program",
        "coach",
        "professional",
        "reason",
        "follow_up_on",
        "pause_requested",
        "created_at",
        "closed_at",
    ]


@admin.register(CCEEntry)
class CCEEntryAdmin(ReadOnlyAdmin):
    list_display = ["coach", "category", "hours", "provider", "date"]


@admin.register(EthicsAttestation)
class EthicsAttestationAdmin(ReadOnlyAdmin):
    list_display = ["coach", "practice", "year", "code_version", "attested_at"]


@admin.register(ProBonoProgram)
class ProBonoProgramAdmin(admin.ModelAdmin):
    list_display = ["program", "marked_by", "marked_at"]
    raw_id_fields = ["program", "marked_by"]


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdmin):
    list_display = ["practice", "user", "requested_at", "completed_at", "completed_by"]
