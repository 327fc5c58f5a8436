from django.urls import path

from . import profile_views, views

P = "p/<slug:slug>/"

urlpatterns = [
    path(f"{P}proposals/", views.proposal_list, name="proposal_list"),
    path(f"{P}proposals/new/", views.proposal_create, name="proposal_create"),
    path(f"{P}proposals/<uuid:code>/", views.proposal_detail, name="proposal_detail"),
    path(f"{P}proposals/<uuid:code>/edit/", views.proposal_edit, name="proposal_edit"),
    path(f"{P}proposals/<uuid:code>/send/", views.proposal_send, name="proposal_send"),
    path(f"{P}proposals/<uuid:code>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path(f"{P}proposals/<uuid:code>/respond/", views.proposal_respond, name="proposal_respond"),
    path(f"{P}proposals/<uuid:code>/contract/", views.contract_create, name="contract_create"),
    path(f"{P}contracts/<uuid:code>/", views.contract_detail, name="contract_detail"),
    path(f"{P}contracts/<uuid:code>/edit/", views.contract_edit, name="contract_edit"),
    path(f"{P}contracts/<uuid:code>/send/", views.contract_send, name="contract_send"),
    path(f"{P}contracts/<uuid:code>/accept/", views.contract_accept, name="contract_accept"),
]

urlpatterns += [
    path(
        f"{P}contracts/<uuid:code>/chemistry/",
        views.chemistry_propose,
        name="chemistry_propose",
    ),
    path(
        f"{P}contracts/<uuid:code>/another-coach/",
        views.chemistry_ask_another,
        name="chemistry_ask_another",
    ),
    path(f"{P}contracts/<uuid:code>/respond/", views.contract_respond, name="contract_respond"),
    path(f"{P}chemistry/<uuid:code>/outcome/", views.chemistry_outcome, name="chemistry_outcome"),
    path(f"{P}chemistry/<uuid:code>/choose/", views.chemistry_choose, name="chemistry_choose"),
    path(f"{P}programs/<uuid:code>/", views.program_detail, name="program_detail"),
    path(f"{P}programs/<uuid:code>/edit/", views.program_edit, name="program_edit"),
    path(f"{P}programs/<uuid:code>/objectives/", views.objective_add, name="objective_add"),
    path(f"{P}objectives/<uuid:code>/review/", views.objective_review, name="objective_review"),
    path(f"{P}objectives/<uuid:code>/edit/", views.objective_edit, name="objective_edit"),
    path(f"{P}objectives/<uuid:code>/retire/", views.objective_retire, name="objective_retire"),
    path(f"{P}programs/<uuid:code>/schedule/", views.program_schedule, name="program_schedule"),
    path(
        f"{P}programs/<uuid:code>/sessions/<uuid:session_code>/cancel/",
        views.session_cancel,
        name="program_session_cancel",
    ),
    path(
        f"{P}programs/<uuid:code>/sessions/<uuid:session_code>/reschedule/",
        views.session_reschedule,
        name="program_session_reschedule",
    ),
    path(f"{P}programs/<uuid:code>/graduate/", views.program_graduate, name="program_graduate"),
    path(
        f"{P}programs/<uuid:code>/certificate/",
        views.program_certificate,
        name="program_certificate",
    ),
    path(
        f"{P}programs/<uuid:code>/state/<slug:name>/",
        views.program_transition,
        name="program_transition",
    ),
    path(f"{P}schedule/", views.schedule_overview, name="schedule_overview"),
]

urlpatterns += [
    path(f"{P}coach/programs/", views.coach_program_list, name="coach_program_list"),
    path(f"{P}coach/profile/", profile_views.coach_profile_edit, name="coach_profile_edit"),
]
