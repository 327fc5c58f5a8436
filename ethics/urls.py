from django.urls import path

from . import views

p = "p/<slug:slug>/"

urlpatterns = [
    # The client
    path(f"{p}me/consents/", views.consent_list, name="consent_list"),
    path(f"{p}me/consents/give/", views.consent_give, name="consent_give"),
    path(f"{p}me/consents/<uuid:code>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path(f"{p}me/who-read-my-records/", views.access_log_mine, name="access_log_mine"),
    path(f"{p}me/my-data/", views.data_export_page, name="data_export_page"),
    path(f"{p}me/my-data.json", views.data_export_json, name="data_export_json"),
    path(f"{p}me/my-data/prepare/", views.data_export_prepare, name="data_export_prepare"),
    path(f"{p}me/erasure/", views.erasure_request_create, name="erasure_request_create"),
    # The practice admin
    path(f"{p}admin/access-log/", views.access_event_list, name="access_event_list"),
    path(f"{p}admin/erasure-requests/", views.erasure_request_list, name="erasure_request_list"),
    path(
        f"{p}admin/erasure-requests/<uuid:code>/complete/",
        views.erasure_request_complete,
        name="erasure_request_complete",
    ),
    # The coach
    path(f"{p}coach/referrals/", views.referral_list, name="referral_list"),
    path(
        f"{p}coach/programs/<uuid:program_code>/referral/",
        views.referral_create,
        name="referral_create",
    ),
    path(f"{p}coach/referrals/<uuid:code>/close/", views.referral_close, name="referral_close"),
    path(f"{p}coach/journal/", views.journal_list, name="journal_list"),
    path(f"{p}coach/journal/<uuid:code>/", views.journal_edit, name="journal_edit"),
    path(f"{p}coach/journal/<uuid:code>/delete/", views.journal_delete, name="journal_delete"),
    path(f"{p}coach/development/", views.cce_list, name="cce_list"),
    path(f"{p}coach/development/<uuid:code>/delete/", views.cce_delete, name="cce_delete"),
    path(f"{p}coach/code-of-ethics/", views.ethics_attestation, name="ethics_attestation"),
    path(f"{p}coach/icf-hours/", views.icf_hours, name="icf_hours"),
    path(
        f"{p}coach/programs/<uuid:program_code>/pro-bono/",
        views.program_pro_bono,
        name="program_pro_bono",
    ),
    path(f"{p}coach/icf-hours.csv", views.icf_hours_export, name="icf_hours_export"),
    # Scope defaults, progress reports, the sponsor's view, scope-boundary flags
    path(f"{p}admin/content-scopes/", views.scope_defaults, name="scope_defaults"),
    path(
        f"{p}coach/programs/<uuid:program_code>/progress-report/",
        views.progress_report_edit,
        name="progress_report_edit",
    ),
    path(
        f"{p}me/progress-reports/",
        views.progress_report_list_mine,
        name="progress_report_list_mine",
    ),
    path(
        f"{p}me/progress-reports/<uuid:code>/approve/",
        views.progress_report_approve,
        name="progress_report_approve",
    ),
    path(f"{p}sponsor/programs/<uuid:code>/", views.sponsor_program, name="sponsor_program"),
    path(
        f"{p}coach/sessions/<uuid:code>/boundary/",
        views.scope_boundary_flag,
        name="scope_boundary_flag",
    ),
]
