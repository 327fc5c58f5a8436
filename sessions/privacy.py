"""The sessions app's part of the client's rights (see ethics/README.md).

settings.DATA_EXPORTERS += ["sessions.privacy.export"]
settings.ERASURE_STEPS += ["sessions.privacy.erase"]
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ethics import access as gate

from .models import Session


def export(*, user, practice):
    """What the client may read of their sessions: check-in, check-out, tasks, ratings."""
    access = gate.client_access(user, practice)
    sessions = list(
        gate.sessions_for(access).filter(program__client=user, status=Session.Status.HELD)
    )
    check_ins = {c.session_id: c for c in gate.check_ins_visible_to(access, sessions=sessions)}
    check_outs = {c.session_id: c for c in gate.check_outs_visible_to(access, sessions=sessions)}
    tasks = {}
    for task in gate.action_items_visible_to(access, sessions=sessions):
        tasks.setdefault(task.session_id, []).append(task)
    rows = []
    for session in sessions:
        check_in, check_out = check_ins.get(session.pk), check_outs.get(session.pk)
        rows.append(
            {
                "number": session.number,
                "starts_at": session.starts_at.isoformat(),
                "goal": check_in.goal if check_in else "",
                "since_last_time": check_in.since_last_time if check_in else "",
                "take_aways": check_out.take_aways if check_out else "",
                "new_behaviours": check_out.new_behaviours if check_out else "",
                "tasks": [
                    {"text": t.text, "due_on": str(t.due_on or ""), "done": bool(t.done_at)}
                    for t in tasks.get(session.pk, [])
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
    """Session content about the client is deleted; the session rows (logistics) stay."""
    for queryset in gate.content_for_erasure(user=user, practice=practice):
        queryset.delete()
