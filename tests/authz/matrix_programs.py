from datetime import timedelta

from django.utils import timezone

from programs.models import (
    ChemistryMeeting,
    Contract,
    ContractAcceptance,
    ContractResponse,
    Objective,
    ObjectiveReview,
    Program,
    ProgramEvent,
    Proposal,
)
from sessions.models import Session
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


# Effects: (world, kwargs) -> a snapshot of what the POST changes (tests/authz/spec.py)


def _status(model):
    def effect(world, kwargs):
        return model.objects.get(code=kwargs["code"]).status

    return effect


def proposal_answers(world, kwargs):
    proposal = Proposal.objects.get(code=kwargs["code"])
    return (proposal.client_response, proposal.sponsor_response, proposal.status)


def contracts_of_proposal(world, kwargs):
    return Contract.objects.filter(proposal__code=kwargs["code"]).count()


def responses(world, kwargs):
    """Every request for changes or decline on the contract, by party."""
    return tuple(
        ContractResponse.objects.filter(version__contract__code=kwargs["code"])
        .order_by("party")
        .values_list("version__number", "party", "kind", "comment")
    )


def acceptances(world, kwargs):
    """Every acceptance of the contract, by party (the view accepts the current version)."""
    return tuple(
        ContractAcceptance.objects.filter(version__contract__code=kwargs["code"])
        .order_by("party")
        .values_list("version__number", "party")
    )


ENTRIES = [
    Entry("proposal_list", only(["admin", "scheduler"]), kwargs=practice),
    # A coach drafts a proposal for an admin to approve (#13).
    Entry("proposal_create", only(["admin", "coach", "other_coach"]), kwargs=practice),
    Entry("proposal_edit", only(["admin"]), kwargs=_proposal("draft")),
    # Coaches see the proposals they drafted; this one the admin drafted: out of their reach.
    Entry(
        "proposal_detail",
        only(PARTIES, coach=404, other_coach=404),
        kwargs=_proposal("sent"),
    ),
    Entry(
        "proposal_send",
        only(["admin"], 302),
        kwargs=_proposal("draft"),
        method="post",
        effect=_status(Proposal),
    ),
    Entry(
        "proposal_withdraw",
        only(["admin"], 302),
        kwargs=_proposal("sent"),
        method="post",
        effect=_status(Proposal),
    ),
    Entry(
        "proposal_respond",
        only(["client", "sponsor"], 302),
        kwargs=_proposal("sent"),
        method="post",
        data={"decision": "accept"},
        effect=proposal_answers,
    ),
    Entry(
        "contract_create",
        only(["admin"], 302),
        kwargs=_proposal("accepted"),
        method="post",
        data={"starts_on": "2027-01-04"},
        effect=contracts_of_proposal,
    ),
    Entry("contract_detail", only(PARTIES), kwargs=_contract("sent")),
    Entry("contract_edit", only(["admin"]), kwargs=_contract("draft")),
    Entry(
        "contract_send",
        only(["admin"], 302),
        kwargs=_contract("draft"),
        method="post",
        effect=_status(Contract),
    ),
    Entry(
        "contract_accept",
        only(PARTIES, 302),
        kwargs=_contract("sent"),
        method="post",
        data={"version": "1", "party": "client"},
        # Each party accepts for itself; the refused personas still claim the client's part.
        data_for={"admin": {"party": "practice"}, "sponsor": {"party": "sponsor"}},
        effect=acceptances,
    ),
    Entry(
        "contract_respond",
        only(["client", "sponsor"], 302),
        kwargs=_contract("sent"),
        method="post",
        data={"version": "1", "party": "client", "kind": "changes", "comment": "Fewer, longer."},
        # Each party answers for itself; the refused personas still claim the client's part.
        data_for={"sponsor": {"party": "sponsor"}},
        effect=responses,
    ),
]


def _active_contract(world):
    return {"slug": world.practice.slug, "code": builders.contract(world, status="active").code}


def _started_meeting(world):
    """A chemistry meeting that started an hour ago: its outcome can be recorded."""
    from programs import services

    contract = builders.contract(world, status="active")
    meeting = services.chemistry_propose(
        contract=contract,
        coach=world.coach,
        actor=world.admin,
        starts_at=timezone.now() + timedelta(hours=1),
    )
    # Proposed for a time to come (a past time is refused), then that time passes.
    ChemistryMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=1)
    )
    return {"slug": world.practice.slug, "code": meeting.code}


def _met_meeting(world):
    """A held chemistry meeting whose outcome the client recorded: the coach can be chosen."""
    from programs import services

    kwargs = _started_meeting(world)
    services.chemistry_record_outcome(
        meeting=ChemistryMeeting.objects.get(code=kwargs["code"]),
        actor=world.client,
        rapport=4,
        compatible=True,
    )
    return kwargs


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


def another_candidate_asked(world, kwargs):
    return ProgramEvent.objects.filter(
        contract__code=kwargs["code"], to_state="another_candidate_requested"
    ).count()


def meeting_outcome(world, kwargs):
    return tuple(
        ChemistryMeeting.objects.filter(code=kwargs["code"]).values_list(
            "client_rapport", "client_compatible", "coach_rapport", "coach_compatible", "status"
        )
    )


def coach_chosen(world, kwargs):
    meeting = ChemistryMeeting.objects.get(code=kwargs["code"])
    return (meeting.status, Program.objects.filter(contract=meeting.contract_id).exists())


def objectives(world, kwargs):
    return Objective.objects.filter(program__code=kwargs["code"]).count()


def objective_state(world, kwargs):
    """Whether the objective is retired, and how many revisions its program has."""
    objective = Objective.objects.get(code=kwargs["code"])
    return (objective.is_retired, objective.program.revisions.count())


def objective_result(world, kwargs):
    return (
        ObjectiveReview.objects.filter(objective__code=kwargs["code"])
        .values_list("result", flat=True)
        .first()
    )


def program_session_state(world, kwargs):
    session = Session.objects.get(code=kwargs["session_code"])
    return (session.status, session.rescheduled_to_id, session.program.sessions.count())


ENTRIES += [
    Entry("chemistry_propose", only(["admin"]), kwargs=_active_contract),
    Entry(
        "chemistry_ask_another",
        only(["client"], 302),
        kwargs=_active_contract,
        method="post",
        effect=another_candidate_asked,
    ),
    Entry(
        "chemistry_outcome",
        only(["client", "coach", "other_coach"], 302, other_coach=404),
        kwargs=_started_meeting,
        method="post",
        data={"rapport": "4", "compatible": "yes"},
        effect=meeting_outcome,
        note="the meeting has started: before, the outcome is refused with a message (302)",
    ),
    Entry(
        "chemistry_choose",
        only(["client"], 302),
        kwargs=_met_meeting,
        method="post",
        effect=coach_chosen,
        note="the client recorded the outcome: before, the choice is refused with a message",
    ),
    Entry(
        "program_detail",
        only(["admin", "coach", "other_coach", "client", "sponsor", "scheduler"], other_coach=404),
        kwargs=_program,
    ),
    Entry("program_edit", COACH_OWN, kwargs=_program),
    Entry(
        "objective_add",
        only(["coach", "other_coach"], 302, other_coach=404),
        kwargs=_program,
        method="post",
        data={"text": "Delegate more"},
        effect=objectives,
    ),
    Entry(
        "objective_review",
        only(["coach", "other_coach"], 302, other_coach=404),
        kwargs=_objective,
        method="post",
        data={"result": "achieved"},
        effect=objective_result,
    ),
    Entry("objective_edit", COACH_OWN, kwargs=_objective),
    Entry(
        "objective_edit",
        only(["coach", "other_coach"], 302, other_coach=404),
        kwargs=_objective,
        method="post",
        data={"text": "Delegate two tasks a week", "measure": "", "reason": "sharper"},
        effect=objective_state,
    ),
    Entry(
        "objective_retire",
        only(["coach", "other_coach"], 302, other_coach=404),
        kwargs=_objective,
        method="post",
        data={"reason": "no longer fits"},
        effect=objective_state,
    ),
    Entry("program_schedule", only(["admin", "scheduler"]), kwargs=_program),
    Entry(
        "program_session_cancel",
        only(["admin", "scheduler"], 302),
        kwargs=_program_session,
        method="post",
        data={"by": "coach"},
        effect=program_session_state,
    ),
    Entry(
        "program_session_reschedule",
        only(["admin", "scheduler"], 302),
        kwargs=_program_session,
        method="post",
        data={"starts_at": "2027-02-20T09:00"},
        effect=program_session_state,
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
        effect=_status(Program),
    ),
    Entry("schedule_overview", only(["admin", "scheduler"]), kwargs=practice),
]
