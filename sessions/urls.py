from django.urls import path

from . import views

urlpatterns = [
    path(
        "p/<slug:slug>/sessions/<uuid:code>/prepare/",
        views.session_prepare,
        name="session_prepare",
    ),
    path("p/<slug:slug>/sessions/<uuid:code>/run/", views.session_run, name="session_run"),
    path(
        "p/<slug:slug>/sessions/<uuid:code>/run/<slug:part>/",
        views.session_part_save,
        name="session_part_save",
    ),
    path(
        "p/<slug:slug>/sessions/<uuid:code>/held/",
        views.session_mark_held,
        name="session_mark_held",
    ),
    path(
        "p/<slug:slug>/sessions/<uuid:code>/session.ics",
        views.session_calendar_file,
        name="session_calendar_file",
    ),
    path("p/<slug:slug>/my-sessions/", views.client_coaching, name="client_coaching"),
    path("p/<slug:slug>/tasks/<uuid:code>/done/", views.action_item_done, name="action_item_done"),
    path(
        "p/<slug:slug>/coaching/programs/<uuid:code>/",
        views.coach_program,
        name="coach_program",
    ),
]
