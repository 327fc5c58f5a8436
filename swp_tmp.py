from ethics import access as gate
from django.db.models import Q
from sessions.models import Session
from sessions.selectors import CLIENT_SESSION_DEFERRED, SUMMARY_DEFERRED
from coaching.access import Role
def run(access, ids):
    return gate.sessions_with_parts(access, Session.objects.filter(program_id__in=ids).defer(*CLIENT_SESSION_DEFERRED).order_by("starts_at"), role=Role.CLIENT, parts_of=Q(status=Session.Status.HELD), parts=["check_in", "check_out", "preparation", "note"], defer=SUMMARY_DEFERRED)
