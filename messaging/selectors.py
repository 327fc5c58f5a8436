"""Reads of the messaging app for one reader (through the gate)."""

from ethics import access as gate

# A thread page shows the latest messages; older ones are behind "Earlier messages".
PAGE = 200


def threads_for(access):
    """The reader's threads (program, the other party, unread count); two queries."""
    programs = list(gate.thread_programs_for(access).order_by("-created_at", "-pk"))
    counts = gate.unread_message_counts(access)
    rows = []
    for program in programs:
        other = program.client if access.user.pk == program.coach_id else program.coach
        rows.append({"program": program, "other": other, "unread": counts.get(program.pk, 0)})
    return rows


def unread_total(access):
    """The navigation's badge: one query."""
    if not (access.is_coach or access.is_client):
        return 0
    return sum(gate.unread_message_counts(access).values())


def thread_messages(access, program, *, after=None, before=None):
    """The thread's latest PAGE messages, oldest first (reads logged); after=pk: only newer
    ones (the poll); before=pk: the PAGE messages before that one (earlier messages)."""
    qs = gate.messages_visible_to(access, program)
    if after is not None:
        return list(qs.filter(pk__gt=after).order_by("pk"))
    if before is not None:
        qs = qs.filter(pk__lt=before)
    latest = list(qs.order_by("-pk")[:PAGE])
    latest.reverse()
    return latest
