from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, include, path
from django.views.decorators.http import require_safe

from coaching import benchkit

# The admin's own login form would skip allauth's MFA and rate limits; send it through allauth.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Coaching platform administration"
# A clean 503 while the database is unreachable (a restart): coaching/errors.py.
handler500 = "coaching.errors.server_error"


@require_safe
def favicon(request):
    # Resolved per request: the hashed name exists only once collectstatic has run.
    return redirect(static("favicon.svg"), permanent=True)


urlpatterns: list[URLPattern | URLResolver] = [
    # Browsers ask for /favicon.ico whatever the page says; answer with the static icon.
    path("favicon.ico", favicon, name="favicon"),
    path("django-admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("coaching.accounts.urls")),
    path("", include("programs.urls")),
    path("", include("sessions.urls")),
    path("", include("ethics.urls")),
    path("", include("coaching.notifications.urls")),
    path("", include("messaging.urls")),
    path("", include("billing.urls")),
    path("", include("documents.urls")),
    path("", include("paylinks.urls")),
    path("", include("intake.urls")),
    path("", include("session_templates.urls")),
    path("", include("supervision.urls")),
    path("", include("coaching.whatsapp.urls")),
]

if settings.BENCH_TIMING:  # `make bench` only: the floor pages every page is compared with
    urlpatterns += [
        path("bench/f0/", benchkit.floor_f0),
        path("bench/f1/", benchkit.floor_f1),
        path("bench/f2/", benchkit.floor_f2),
    ]
