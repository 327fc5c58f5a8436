from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# The admin's own login form would skip allauth's MFA and rate limits; send it through allauth.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Coaching platform administration"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("coaching.accounts.urls")),
    path("", include("programs.urls")),
    path("", include("sessions.urls")),
    path("", include("ethics.urls")),
    path("", include("coaching.notifications.urls")),
]
