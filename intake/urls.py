from django.urls import path

from . import views

Q = "p/<slug:slug>/questionnaires/"
A = "p/<slug:slug>/answers/"

urlpatterns = [
    path(Q, views.questionnaire_list, name="questionnaire_list"),
    path(f"{Q}settings/", views.intake_settings, name="intake_settings"),
    path(f"{Q}<uuid:code>/", views.questionnaire_detail, name="questionnaire_detail"),
    path(f"{Q}<uuid:code>/publish/", views.questionnaire_publish, name="questionnaire_publish"),
    path(
        f"{Q}<uuid:code>/new-version/",
        views.questionnaire_new_version,
        name="questionnaire_new_version",
    ),
    path(f"{Q}question/<uuid:code>/delete/", views.question_delete, name="question_delete"),
    path(A, views.response_list, name="response_list"),
    path(f"{A}<uuid:code>/", views.response_detail, name="response_detail"),
    path(f"{A}<uuid:code>/answer/", views.response_answer, name="response_answer"),
    path("p/<slug:slug>/stakeholders/<uuid:code>/", views.stakeholders, name="stakeholders"),
    path(
        "p/<slug:slug>/stakeholders/s/<uuid:code>/remove/",
        views.stakeholder_remove,
        name="stakeholder_remove",
    ),
    path("p/<slug:slug>/360/<uuid:code>/", views.feedback360, name="feedback360"),
    path("p/<slug:slug>/360/<uuid:code>/invite/", views.rater_invite, name="rater_invite"),
    path("p/<slug:slug>/360/<uuid:code>/share/", views.feedback360_share, name="feedback360_share"),
    path("360/r/<str:token>/", views.rater_answer, name="rater_answer"),
]

urlpatterns += [
    path("p/<slug:slug>/assessments/<uuid:code>/", views.assessments, name="assessments"),
    path(
        "p/<slug:slug>/assessments/<uuid:code>/send/",
        views.assessment_send,
        name="assessment_send",
    ),
]

urlpatterns += [
    path("p/<slug:slug>/alignment/<uuid:code>/", views.alignment, name="alignment"),
]
