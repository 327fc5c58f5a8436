"""The sessions app's part of the client's rights (see ethics/README.md).

settings.DATA_EXPORTERS += ["sessions.privacy.export"]
settings.ERASURE_STEPS += ["sessions.privacy.erase"]
"""

from django.db import transaction
from django.utils.translation import gettext as _

from coaching.access import Role
from ethics import access as gate

from .models import RescheduleRequest, Session


def export(*, user, practice):
    """Everything the client may read of their sessions (through the gate): check-in, notes
    shared with them, tasks, check-out, ratings."""
    access = gate.client_access(user, practice)
    # The four one-per-session parts come with their sessions, in one query (#11).
    sessions = gate.sessions_with_parts(
        access,
        gate.sessions_for(access).filter(program__client=user, status=Session.Status.HELD),
        role=Role.CLIENT,
        parts=["check_in", "check_out", "note", "preparation"],
    )
    tasks, ratings, extras = {}, {}, {}
    for extra in gate.extra_notes_visible_to(access, sessions=sessions).order_by("position"):
        extras.setdefault(extra.session_id, []).append(extra)
    for task in gate.action_items_visible_to(access, sessions=sessions):
        tasks.setdefault(task.session_id, []).append(task)
    for rating in gate.ratings_visible_to(access, sessions=sessions).select_related("objective"):
        ratings.setdefault(rating.session_id, []).append(rating)
    rows = []
    for session in sessions:
        check_in, check_out = session.visible_check_in, session.visible_check_out
        note, preparation = session.visible_note, session.visible_preparation
        rows.append(
            {
                "number": session.number,
                "starts_at": session.starts_at.isoformat(),
                "coach_reflection": preparation.reflection if preparation else "",
                "since_last_time": check_in.since_last_time if check_in else "",
                "goal": check_in.goal if check_in else "",
                "agenda": check_in.agenda if check_in else "",
                "notes": note.text if note else "",
                "drift": note.drift_text if note else "",
                "confirmations": check_out.confirmations if check_out else "",
                "aha_moments": check_out.aha_moments if check_out else "",
                "insights": check_out.insights if check_out else "",
                "take_aways": check_out.take_aways if check_out else "",
                "new_behaviours": check_out.new_behaviours if check_out else "",
                "extra_parts": [
                    {"part": e.title, "text": e.text} for e in extras.get(session.pk, [])
                ],
                "tasks": [
                    {
                        "text": t.text,
                        "due_on": str(t.due_on or ""),
                        "done": bool(t.done_at),
                        "comment": t.done_comment,
                    }
                    for t in tasks.get(session.pk, [])
                ],
                "ratings": [
                    {"objective": r.objective.text, "score": r.score}
                    for r in ratings.get(session.pk, [])
                ],
            }
        )
    return {
        "key": "session_content",
        "title": _("What was shared with you in sessions"),
        "rows": rows,
    }


@transaction.atomic
def erase(*, user, practice):
    """Session content about the client is deleted; the session rows (logistics) stay, without
    the free-text reason of a cancellation or a move."""
    for queryset in gate.content_for_erasure(user=user, practice=practice):
        queryset.delete()
    Session.objects.filter(program__practice=practice, program__client=user).exclude(
        status_reason=""
    ).update(status_reason="")


def export_move_requests(*, user, practice):
    """The client's requests to move a session (logistics: no free text is kept), and the
    coach's requests about the client's sessions: when, why (from a fixed list), the times
    proposed, the answer."""
    access = gate.client_access(user, practice)
    requests = (
        RescheduleRequest.objects.filter(
            session__in=gate.sessions_for(access).filter(program__client=user)
        )
        .select_related("session")
        .order_by("created_at")
    )
    return {
        "key": "move_requests",
        "title": _("Requests to move a session"),
        "rows": [
            {
                "number": r.session.number,
                "at": r.created_at.isoformat(),
                "asked_by": r.side,
                "reason": r.reason,
                "proposed_times": [{"starts_at": t.isoformat()} for t in r.proposed_times],
                "status": r.status,
            }
            for r in requests
        ],
    }
