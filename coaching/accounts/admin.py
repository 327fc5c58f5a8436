"""The Django admin shows people and logistics only; it never shows coaching content."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm

from .models import Invitation, Membership, Practice, User
from .services import password_changed_by_operator


class OperatorPasswordChangeForm(AdminPasswordChangeForm):
    """The admin site's "change password": the user is told it was not them."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit and self.cleaned_data.get("usable_password", True) is not False:
            password_changed_by_operator(user=user)
        return user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = OperatorPasswordChangeForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["full_name", "language", "timezone"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = ["groups"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "organisation", "created_at", "deactivated_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "timezone", "currency", "require_mfa_for_staff"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "practice",
        "role",
        "created_at",
        "expires_at",
        "sent_at",
        "accepted_at",
    ]
    list_filter = ["role", "practice"]
    readonly_fields = ["code", "claimed_at", "sent_at", "accepted_at", "accepted_by"]
    raw_id_fields = ["invited_by"]
