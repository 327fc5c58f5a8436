from django.urls import path

from . import reschedule_views, views

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
    path(
        "p/<slug:slug>/sessions/<uuid:code>/move-request/",
        reschedule_views.session_move_request,
        name="session_move_request",
    ),
    path(
        "p/<slug:slug>/move-requests/",
        reschedule_views.reschedule_request_list,
        name="reschedule_request_list",
    ),
    path(
        "p/<slug:slug>/move-requests/<uuid:code>/accept/",
        reschedule_views.reschedule_request_accept,
        name="reschedule_request_accept",
    ),
    path(
        "p/<slug:slug>/move-requests/<uuid:code>/refuse/",
        reschedule_views.reschedule_request_refuse,
        name="reschedule_request_refuse",
    ),
]
