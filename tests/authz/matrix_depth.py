"""Matrix rows of the lifecycle's depth (#13): the scheduler's dashboard, reschedule requests."""

from datetime import datetime
from zoneinfo import ZoneInfo

from programs.models import CoachProfile
from sessions import rescheduling
from sessions.models import RescheduleRequest, Session
from tests.authz.spec import Entry, only, practice
from tests.programs import builders

JAKARTA = ZoneInfo("Asia/Jakarta")


def _session(world):
    session = builders.program(world, sessions=1).sessions.get()
    return {"slug": world.practice.slug, "code": session.code}


def _request(world):
    session = builders.program(world, sessions=1).sessions.get()
    request = rescheduling.reschedule_request_create(
        session=session,
        actor=world.client,
        reason="work",
        times=[datetime(2027, 2, 20, 9, 0, tzinfo=JAKARTA)],
    )
    return {"slug": world.practice.slug, "code": request.code}


# Effects: (world, kwargs) -> a snapshot of what the POST changes (tests/authz/spec.py)


def requests_of_session(world, kwargs):
    return tuple(
        RescheduleRequest.objects.filter(session__code=kwargs["code"]).values_list("side", "status")
    )


def request_and_session(world, kwargs):
    request = RescheduleRequest.objects.select_related("session").get(code=kwargs["code"])
    return (request.status, request.session.status, Session.objects.count())


def profiles(world, kwargs):
    return tuple(CoachProfile.objects.order_by("coach_id").values_list("coach_id", "bio_en"))


ENTRIES = [
    Entry(
        "coach_profile_edit",
        only(["coach", "other_coach"], 302),
        kwargs=practice,
        method="post",
        data={"bio_en": "Twelve years coaching leaders.", "languages": "English"},
        effect=profiles,
    ),
    Entry("dashboard_scheduler", only(["scheduler"]), kwargs=practice),
    Entry(
        "session_move_request",
        only(["client", "coach"], 302, other_coach=404),
        kwargs=_session,
        method="post",
        data={"reason": "work", "time_1": "2027-02-20T09:00"},
        effect=requests_of_session,
    ),
    Entry("reschedule_request_list", only(["admin", "scheduler"]), kwargs=practice),
    Entry(
        "reschedule_request_accept",
        only(["admin", "scheduler"], 302),
        kwargs=_request,
        method="post",
        data={"choice": "0", "confirm_close_spacing": "on"},
        effect=request_and_session,
    ),
    Entry(
        "reschedule_request_refuse",
        only(["admin", "scheduler"], 302),
        kwargs=_request,
        method="post",
        effect=request_and_session,
    ),
]
