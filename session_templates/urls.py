from django.urls import path

from . import views

p = "p/<slug:slug>/"

urlpatterns = [
    path(f"{p}session-templates/", views.template_list, name="session_template_list"),
    path(f"{p}session-templates/new/", views.template_create, name="session_template_create"),
    path(f"{p}session-templates/<uuid:code>/", views.template_edit, name="session_template_edit"),
    path(
        f"{p}coaching/programs/<uuid:code>/template/",
        views.program_template_choose,
        name="program_template_choose",
    ),
    path(
        f"{p}sessions/<uuid:code>/clock/<slug:event>/",
        views.session_clock,
        name="session_clock",
    ),
]
