from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from coaching import benchkit

# The admin's own login form would skip allauth's MFA and rate limits; send it through allauth.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Coaching platform administration"

urlpatterns: list[URLPattern | URLResolver] = [
    path("django-admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("coaching.accounts.urls")),
    path("", include("programs.urls")),
    path("", include("sessions.urls")),
    path("", include("ethics.urls")),
    path("", include("coaching.notifications.urls")),
]

if settings.BENCH_TIMING:  # `make bench` only: the floor pages every page is compared with
    urlpatterns += [
        path("bench/f0/", benchkit.floor_f0),
        path("bench/f1/", benchkit.floor_f1),
        path("bench/f2/", benchkit.floor_f2),
    ]
