"""The client's data export: everything the platform holds about them in one practice.

It is a list of exporter functions, f(*, user, practice) -> a section dict
{"key", "title", "rows": [dict, ...]}. Other apps add theirs (session content read through
the content gate) by listing dotted paths in settings.DATA_EXPORTERS.
"""

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from coaching.accounts.models import Membership
from programs.models import Program
from sessions.models import Session

from . import access as gate
from .models import AccessEvent, Consent


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
    for program in Program.objects.filter(client=user, practice=practice).select_related(
        "coach", "sponsor"
    ):
        content = gate.program_content_for(access, program, reviews=True) or {}
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
