from django.urls import path

from coaching.access import Role

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("me/", views.profile, name="profile"),
    path("language/", views.set_language, name="set_language"),
    path("practices/new/", views.practice_create, name="practice_create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("p/<slug:slug>/", views.practice_home, name="practice_home"),
    path("p/<slug:slug>/admin/", views.dashboard, {"role": Role.ADMIN}, name="dashboard_admin"),
    path("p/<slug:slug>/coach/", views.dashboard, {"role": Role.COACH}, name="dashboard_coach"),
    path("p/<slug:slug>/client/", views.dashboard, {"role": Role.CLIENT}, name="dashboard_client"),
    path(
        "p/<slug:slug>/sponsor/", views.dashboard, {"role": Role.SPONSOR}, name="dashboard_sponsor"
    ),
    path(
        "p/<slug:slug>/scheduling/",
        views.dashboard,
        {"role": Role.SCHEDULER},
        name="dashboard_scheduler",
    ),
    path("p/<slug:slug>/settings/", views.practice_settings, name="practice_settings"),
    path("p/<slug:slug>/members/", views.member_list, name="member_list"),
    path("p/<slug:slug>/members/invite/", views.member_invite, name="member_invite"),
    path("p/<slug:slug>/members/<uuid:user_code>/", views.member_detail, name="member_detail"),
    path(
        "p/<slug:slug>/members/<uuid:user_code>/deactivate/",
        views.member_deactivate,
        name="member_deactivate",
    ),
    path(
        "p/<slug:slug>/invitations/<uuid:code>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
