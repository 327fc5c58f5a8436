from tests.authz.spec import Entry, only, practice
from tests.programs import builders

PARTIES = ["admin", "client", "sponsor"]


def _proposal(status):
    def kwargs(world):
        return {"slug": world.practice.slug, "code": builders.proposal(world, status=status).code}

    return kwargs


def _contract(status):
    def kwargs(world):
        return {"slug": world.practice.slug, "code": builders.contract(world, status=status).code}

    return kwargs


ENTRIES = [
    Entry("proposal_list", only(["admin"]), kwargs=practice),
    Entry("proposal_create", only(["admin"]), kwargs=practice),
    Entry("proposal_edit", only(["admin"]), kwargs=_proposal("draft")),
    Entry("proposal_detail", only(PARTIES), kwargs=_proposal("sent")),
    Entry("proposal_send", only(["admin"], 302), kwargs=_proposal("draft"), method="post"),
    Entry("proposal_withdraw", only(["admin"], 302), kwargs=_proposal("sent"), method="post"),
    Entry(
        "proposal_respond",
        only(["client", "sponsor"], 302),
        kwargs=_proposal("sent"),
        method="post",
        data={"decision": "accept"},
    ),
    Entry(
        "contract_create",
        only(["admin"], 302),
        kwargs=_proposal("accepted"),
        method="post",
        data={"starts_on": "2027-01-04"},
    ),
    Entry("contract_detail", only(PARTIES), kwargs=_contract("sent")),
    Entry("contract_edit", only(["admin"]), kwargs=_contract("draft")),
    Entry("contract_send", only(["admin"], 302), kwargs=_contract("draft"), method="post"),
    Entry(
        "contract_accept",
        only(PARTIES, 302),
        kwargs=_contract("sent"),
        method="post",
        data={"version": "1", "party": "client"},
    ),
]


def _active_contract(world):
    return {"slug": world.practice.slug, "code": builders.contract(world, status="active").code}


def _meeting(world):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from programs import services

    contract = builders.contract(world, status="active")
    meeting = services.chemistry_propose(
        contract=contract,
        coach=world.coach,
        actor=world.admin,
        starts_at=datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Asia/Jakarta")),
    )
    return {"slug": world.practice.slug, "code": meeting.code}


def _program(world):
    return {"slug": world.practice.slug, "code": builders.program(world).code}


def _program_session(world):
    program = builders.program(world, sessions=1)
    return {
        "slug": world.practice.slug,
        "code": program.code,
        "session_code": program.sessions.get().code,
    }


def _objective(world):
    from programs import services

    program = builders.program(world)
    objective = services.objective_add(program=program, actor=world.coach, text="Delegate")
    return {"slug": world.practice.slug, "code": objective.code}


def _graduated(world):
    from programs.models import Program

    program = builders.program(world)
    Program.objects.filter(pk=program.pk).update(status="graduated")
    return {"slug": world.practice.slug, "code": program.code}


def _transition(world):
    return {**_program(world), "name": "pause"}


COACH_OWN = only(["coach", "other_coach"], other_coach=404)

ENTRIES += [
    Entry("chemistry_propose", only(["admin"]), kwargs=_active_contract),
    Entry("chemistry_ask_another", only(["client"], 302), kwargs=_active_contract, method="post"),
    Entry(
        "chemistry_outcome",
        only(["client", "coach", "other_coach"], 302, other_coach=404),
        kwargs=_meeting,
        method="post",
        data={"rapport": "4", "compatible": "yes"},
        note="before the meeting starts the outcome is refused with a message (302)",
    ),
    Entry("chemistry_choose", only(["client"], 302), kwargs=_meeting, method="post"),
    Entry(
        "program_detail",
        only(["admin", "coach", "other_coach", "client", "sponsor"], other_coach=404),
        kwargs=_program,
    ),
    Entry("program_edit", COACH_OWN, kwargs=_program),
    Entry(
        "objective_add",
        only(["coach", "other_coach"], 302, other_coach=404),
        kwargs=_program,
        method="post",
        data={"text": "Delegate more"},
    ),
    Entry(
        "objective_review",
        only(["coach", "other_coach"], 302, other_coach=404),
        kwargs=_objective,
        method="post",
        data={"result": "achieved"},
    ),
    Entry("program_schedule", only(["admin"]), kwargs=_program),
    Entry(
        "program_session_cancel",
        only(["admin"], 302),
        kwargs=_program_session,
        method="post",
        data={"by": "coach"},
    ),
    Entry(
        "program_session_reschedule",
        only(["admin"], 302),
        kwargs=_program_session,
        method="post",
        data={"starts_at": "2027-02-20T09:00"},
    ),
    Entry("program_graduate", COACH_OWN, kwargs=_program),
    Entry(
        "program_certificate",
        only(["admin", "coach", "other_coach", "client"], other_coach=404),
        kwargs=_graduated,
    ),
    Entry(
        "program_transition",
        only(["admin", "coach", "other_coach"], 302, other_coach=404),
        kwargs=_transition,
        method="post",
        data={"reason": "referral"},
    ),
    Entry("schedule_overview", only(["admin"]), kwargs=practice),
]
