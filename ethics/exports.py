"""The client's data export: everything the platform holds about them in one practice.

It is a list of exporter functions, f(*, user, practice) -> a section dict
{"key", "title", "rows": [dict, ...]}. Other apps add theirs (session content read through
the content gate) by listing dotted paths in settings.DATA_EXPORTERS.
"""

from datetime import datetime

from django.conf import settings
from django.utils import formats, timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.accounts.models import Membership
from intake.models import AlignmentMeeting, Questionnaire
from programs.models import ObjectiveReview, Program
from sessions.models import RescheduleRequest, Session

from . import access as gate
from .models import AccessEvent, Consent, ProgressReport


def _when(value):
    return value.isoformat() if value else None


def account(*, user, practice):
    return {
        "key": "account",
        "title": _("Your account"),
        "rows": [
            {
                "email": user.email,
                "full_name": user.full_name,
                "language": user.language,
                "timezone": user.timezone,
                "joined": _when(user.date_joined),
            }
        ],
    }


def memberships(*, user, practice):
    rows = Membership.objects.filter(user=user, practice=practice).order_by("created_at")
    return {
        "key": "memberships",
        "title": _("Your roles in this practice"),
        "rows": [
            {
                "role": m.role,
                "organisation": m.organisation,
                "since": _when(m.created_at),
                "ended": _when(m.deactivated_at),
            }
            for m in rows
        ],
    }


def consents(*, user, practice):

    rows = Consent.objects.filter(client=user, practice=practice).select_related("sponsor")
    return {
        "key": "consents",
        "title": _("Your consents"),
        "rows": [
            {
                "kind": c.kind,
                "sponsor": c.sponsor.display_name if c.sponsor else None,
                "text": c.text,
                "text_version": c.text_version,
                "given_at": _when(c.given_at),
                "withdrawn_at": _when(c.withdrawn_at),
            }
            for c in rows
        ],
    }


def access_events(*, user, practice):

    rows = AccessEvent.objects.filter(subject=user, practice=practice).select_related("reader")
    return {
        "key": "access_events",
        "title": _("Who has read your records"),
        "rows": [
            {
                "reader": e.reader.display_name,
                "item": e.label,
                "kind": e.kind,
                "at": _when(e.at),
            }
            for e in rows
        ],
    }


def sessions(*, user, practice):
    """Session logistics (date, length, format, status); content comes from the sessions app."""

    rows = (
        Session.objects.filter(client=user, program__practice=practice)
        .defer(None)  # the status reason too (deferred by default)
        .select_related("coach")
        .order_by("starts_at")
    )
    return {
        "key": "sessions",
        "title": _("Your sessions"),
        "rows": [
            {
                "number": s.number,
                "starts_at": _when(s.starts_at),
                "duration_minutes": s.duration_minutes,
                "format": s.format,
                "coach": s.coach.display_name,
                "status": s.status,
                "status_reason": s.status_reason,
            }
            for s in rows
        ],
    }


def programs(*, user, practice):
    """Program logistics (coach, sponsor, status, dates) and, read through the gate, what the
    program is about: theme, aims, states of being, objectives with their graduation result,
    and the completion summary. (The coach's review notes are the coach's own: not shown to
    the client anywhere, so not here either.)"""

    access = gate.client_access(user, practice)
    rows = []
    programs = list(
        Program.objects.filter(client=user, practice=practice).select_related("coach", "sponsor")
    )
    contents = gate.programs_content_for(access, programs, reviews=True)  # one query (#11)
    for program in programs:
        content = contents.get(program.pk, {})
        rows.append(
            {
                "coach": program.coach.display_name,
                "sponsor": program.sponsor.display_name if program.sponsor else None,
                "status": program.status,
                "starts_on": _when(program.starts_on),
                "ends_on": _when(program.ends_on),
                "theme": content.get("theme", ""),
                "aims": content.get("aims", ""),
                "current_state": content.get("current_state", ""),
                "future_state": content.get("future_state", ""),
                "objectives": [_objective(o) for o in content.get("objectives", [])],
                "completion_summary": gate.completion_summary_for(access, program) or "",
                "status_reason": program.status_reason,
                "early_completion_reason": program.early_completion_reason,
            }
        )
    return {"key": "programs", "title": _("Your programs"), "rows": rows}


def _objective(objective):
    review = getattr(objective, "review", None)
    return {
        "objective": objective.text,
        "how_it_is_judged": objective.measure,
        "review": review.result if review else None,
    }


def progress_reports(*, user, practice):
    """Progress reports about the client that they can read (sent for approval, approved)."""

    rows = gate.progress_reports_visible_to(gate.client_access(user, practice))
    return {
        "key": "progress_reports",
        "title": _("Progress reports for your sponsor"),
        "rows": [
            {"text": r.text, "status": r.status, "approved_at": _when(r.approved_at)} for r in rows
        ],
    }


EXPORTERS = [account, memberships, programs, sessions, consents, progress_reports, access_events]


def exporters():
    return EXPORTERS + [import_string(path) for path in getattr(settings, "DATA_EXPORTERS", [])]


def data_export(*, user, practice):
    """Every section, in order. The caller records the export in the access log."""
    return [exporter(user=user, practice=practice) for exporter in exporters()]


# The printable page: the same sections in words -----------------------------------------
# The JSON download keeps the keys and codes above (stable, for machines); the page shows
# each key as a label and each code as its name, in the reader's language.

FIELD_LABELS = {
    "email": gettext_lazy("Email"),
    "full_name": gettext_lazy("Name"),
    "language": gettext_lazy("Language"),
    "timezone": gettext_lazy("Time zone"),
    "joined": gettext_lazy("Joined"),
    "role": gettext_lazy("Role"),
    "organisation": gettext_lazy("Organisation"),
    "since": gettext_lazy("Since"),
    "ended": gettext_lazy("Ended"),
    "kind": gettext_lazy("Kind"),
    "sponsor": gettext_lazy("Sponsor"),
    "text": gettext_lazy("Text"),
    "text_version": gettext_lazy("Text version"),
    "given_at": gettext_lazy("Given"),
    "withdrawn_at": gettext_lazy("Withdrawn"),
    "phone": gettext_lazy("WhatsApp number"),
    "attachment": gettext_lazy("Attached file"),
    "attachment_type": gettext_lazy("File type"),
    "attachment_base64": gettext_lazy("File content (base64)"),
    "reader": gettext_lazy("Read by"),
    "item": gettext_lazy("Item"),
    "at": gettext_lazy("When"),
    "number": gettext_lazy("Session"),
    "starts_at": gettext_lazy("Date and time"),
    "duration_minutes": gettext_lazy("Minutes"),
    "format": gettext_lazy("Format"),
    "coach": gettext_lazy("Coach"),
    "status": gettext_lazy("Status"),
    "starts_on": gettext_lazy("Starts"),
    "ends_on": gettext_lazy("Ends"),
    "theme": gettext_lazy("Theme"),
    "aims": gettext_lazy("Aims"),
    "current_state": gettext_lazy("Current state of being (CSoB)"),
    "future_state": gettext_lazy("Future state of being (FSoB)"),
    "objectives": gettext_lazy("Objectives"),
    "objective": gettext_lazy("Objective"),
    "how_it_is_judged": gettext_lazy("How it is judged"),
    "review": gettext_lazy("Result at graduation"),
    "completion_summary": gettext_lazy("Completion summary"),
    "status_reason": gettext_lazy("Why its status changed"),
    "early_completion_reason": gettext_lazy("Why it was completed early"),
    "approved_at": gettext_lazy("Approved"),
    "coach_reflection": gettext_lazy("Coach's reflection"),
    "since_last_time": gettext_lazy("Since last time"),
    "goal": gettext_lazy("Session goal"),
    "agenda": gettext_lazy("Agenda"),
    "notes": gettext_lazy("Notes"),
    "drift": gettext_lazy("Drift from the theme"),
    "confirmations": gettext_lazy("Confirmations"),
    "aha_moments": gettext_lazy("Aha moments"),
    "insights": gettext_lazy("New insights"),
    "take_aways": gettext_lazy("Take-aways"),
    "new_behaviours": gettext_lazy("New behaviours to practise"),
    "extra_parts": gettext_lazy("Parts of your coach's own session model"),
    "part": gettext_lazy("Part"),
    "tasks": gettext_lazy("Tasks"),
    "due_on": gettext_lazy("Due"),
    "done": gettext_lazy("Done"),
    "comment": gettext_lazy("Comment"),
    "ratings": gettext_lazy("Ratings"),
    "score": gettext_lazy("Score (1-10)"),
    # messaging.privacy
    "author": gettext_lazy("Written by"),
    "edited_at": gettext_lazy("Edited"),
    "deleted": gettext_lazy("Deleted for everyone"),
    # intake.privacy
    "questionnaire": gettext_lazy("Questionnaire"),
    "answers": gettext_lazy("Answers"),
    "question": gettext_lazy("Question"),
    "answer": gettext_lazy("Answer"),
    "stage": gettext_lazy("When"),
    "held_on": gettext_lazy("Held on"),
    "agreed_goals": gettext_lazy("Agreed goals"),
    "reason": gettext_lazy("Reason"),
    "proposed_times": gettext_lazy("Proposed times"),
    "asked_by": gettext_lazy("Asked by"),
}

# (section, key) -> the choices its codes come from.
CODE_LABELS = {
    # sessions.privacy.export_move_requests: the reasons are a fixed list, never free text.
    ("move_requests", "reason"): dict(RescheduleRequest.Reason.choices),
    ("move_requests", "status"): dict(RescheduleRequest.Status.choices),
    ("move_requests", "asked_by"): dict(RescheduleRequest.Side.choices),
    ("account", "language"): dict(settings.LANGUAGES),
    ("memberships", "role"): dict(Membership.Role.choices),
    ("consents", "kind"): dict(Consent.Kind.choices),
    ("access_events", "kind"): dict(AccessEvent.Kind.choices),
    ("sessions", "format"): dict(Session.Format.choices),
    ("sessions", "status"): dict(Session.Status.choices),
    ("programs", "status"): dict(Program.Status.choices),
    ("programs", "review"): dict(ObjectiveReview.Result.choices),
    ("progress_reports", "status"): dict(ProgressReport.Status.choices),
    ("questionnaires", "kind"): dict(Questionnaire.Kind.choices),
    ("alignment_meetings", "stage"): dict(AlignmentMeeting.Stage.choices),
}

DATE_FIELDS = {
    "joined",
    "since",
    "ended",
    "given_at",
    "withdrawn_at",
    "at",
    "starts_at",
    "starts_on",
    "ends_on",
    "approved_at",
    "due_on",
    "edited_at",
    "held_on",
}


def _in_words(section_key, key, value):
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value in (None, ""):
        return None
    choices = CODE_LABELS.get((section_key, key))
    if choices is not None:
        return choices.get(value, value)
    if key in DATE_FIELDS and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if "T" in value:
            return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
        return formats.date_format(moment.date(), "DATE_FORMAT")
    return value


def printable(section):
    """Rows as (label, value, nested) for the page: keys as labels, codes and dates in words,
    a list of records (a session's tasks, a program's objectives) as nested rows."""
    key = section["key"]

    def fields(row):
        return [
            (
                FIELD_LABELS.get(name, name),
                None,
                [fields(item) for item in value],
            )
            if isinstance(value, list) and all(isinstance(item, dict) for item in value)
            else (FIELD_LABELS.get(name, name), _in_words(key, name, value), None)
            for name, value in row.items()
        ]

    return {**section, "rows": [fields(row) for row in section["rows"]]}
