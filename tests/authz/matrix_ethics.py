"""The ethics app's URLs. Objects are made with empty content fields, so the matrix needs no
encryption key (an empty field is stored empty); tests/ethics covers content."""

from ethics.models import (
    CCEEntry,
    Consent,
    ErasureRequest,
    ProBonoProgram,
    ProgressReport,
    Referral,
    ReflectiveJournalEntry,
    ScopeBoundaryFlag,
)
from tests.authz.spec import Entry, only, practice
from tests.ethics import helpers

COACHES = ["coach", "other_coach"]


def _kw(build, name="code"):
    def kwargs(world):
        return {"slug": world.practice.slug, name: build(world).code}

    return kwargs


# Effects: (world, kwargs) -> a snapshot of what the POST changes (tests/authz/spec.py)


def _field(model, name, key="code"):
    def effect(world, kwargs):
        return model.objects.filter(code=kwargs[key]).values_list(name, flat=True).first()

    return effect


def _exists(model):
    def effect(world, kwargs):
        return model.objects.filter(code=kwargs["code"]).exists()

    return effect


def consents_in_force(world, kwargs):
    return Consent.objects.in_force().filter(practice=world.practice).count()


def erasure_requests(world, kwargs):
    return ErasureRequest.objects.filter(practice=world.practice).count()


def pro_bono(world, kwargs):
    return ProBonoProgram.objects.filter(program__code=kwargs["program_code"]).exists()


def boundary_flags(world, kwargs):
    return ScopeBoundaryFlag.objects.filter(session__code=kwargs["code"]).count()


ENTRIES = [
    # The client
    Entry("consent_list", only(["client"]), kwargs=practice),
    Entry(
        "consent_give",
        only(["client"], 302),
        kwargs=practice,
        method="post",
        data={"kind": "data_processing"},
        effect=consents_in_force,
    ),
    Entry(
        "consent_withdraw",
        only(["client"], 302),
        kwargs=_kw(helpers.consent_for),
        method="post",
        effect=_field(Consent, "withdrawn_at"),
    ),
    Entry("access_log_mine", only(["client"]), kwargs=practice),
    Entry("data_export_page", only(["client"]), kwargs=practice),
    # data_export_json and data_export_prepare (the prepared export, #11): matrix_export.py
    Entry(
        "erasure_request_create",
        only(["client"], 302),
        kwargs=practice,
        method="post",
        effect=erasure_requests,
    ),
    # The practice admin
    Entry("access_event_list", only(["admin"]), kwargs=practice),
    Entry("erasure_request_list", only(["admin"]), kwargs=practice),
    Entry(
        "erasure_request_complete",
        only(["admin"], 302),
        kwargs=_kw(helpers.erasure_request_for),
        method="post",
        effect=_field(ErasureRequest, "completed_at"),
    ),
    # The coach
    Entry("referral_list", only(COACHES), kwargs=practice),
    Entry(
        "referral_create",
        only(["coach"], other_coach=404),
        kwargs=_kw(helpers.program_for, "program_code"),
        note="only the program's coach reaches it",
    ),
    Entry(
        "referral_close",
        only(["coach"], 302, other_coach=404),
        kwargs=_kw(helpers.referral_for),
        method="post",
        effect=_field(Referral, "closed_at"),
    ),
    Entry("journal_list", only(COACHES), kwargs=practice),
    Entry(
        "journal_edit",
        only(["coach"], other_coach=404),
        kwargs=_kw(helpers.journal_entry_for),
        note="private to its author",
    ),
    Entry(
        "journal_delete",
        only(["coach"], 302, other_coach=404),
        kwargs=_kw(helpers.journal_entry_for),
        method="post",
        effect=_exists(ReflectiveJournalEntry),
    ),
    Entry("cce_list", only(COACHES), kwargs=practice),
    Entry(
        "cce_delete",
        only(["coach"], 302, other_coach=404),
        kwargs=_kw(helpers.cce_entry_for),
        method="post",
        effect=_exists(CCEEntry),
    ),
    Entry("ethics_attestation", only(COACHES), kwargs=practice),
    Entry("icf_hours", only(COACHES), kwargs=practice),
    Entry("icf_hours_export", only(COACHES), kwargs=practice),
    Entry(
        "program_pro_bono",
        only(["coach"], 302, other_coach=404),
        kwargs=_kw(helpers.program_for, "program_code"),
        method="post",
        data={"pro_bono": "1"},
        effect=pro_bono,
    ),
]

ENTRIES += [
    # Scope defaults, progress reports, the sponsor's view, scope-boundary flags
    Entry("scope_defaults", only(["admin"]), kwargs=practice),
    Entry(
        "progress_report_edit",
        only(["coach"], other_coach=404),
        kwargs=_kw(helpers.program_for, "program_code"),
        note="only the program's coach",
    ),
    Entry("progress_report_list_mine", only(["client"]), kwargs=practice),
    Entry(
        "progress_report_approve",
        only(["client"], 302),
        kwargs=_kw(helpers.progress_report_for),
        method="post",
        data={"digest": ProgressReport(text="").digest},  # the text the client read
        effect=_field(ProgressReport, "status"),
    ),
    Entry(
        "sponsor_program",
        only(["sponsor"]),
        kwargs=_kw(helpers.program_for),
        note="only the program's sponsor; content only under consent",
    ),
    Entry(
        "scope_boundary_flag",
        only(["coach"], 302, other_coach=404),
        kwargs=_kw(helpers.held_session_for),
        method="post",
        data={"territory": "therapy"},
        effect=boundary_flags,
    ),
]
