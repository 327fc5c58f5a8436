"""Reminder kinds of the programs app (registered in ProgramsConfig.ready()).

Which kind goes to whom, created by what, with which occasion: the table in README.md.

There are no consent requests in ethics (a client gives or withdraws a consent on their own
page), so no reminder waits on one.
"""

from datetime import timedelta

from django.utils import formats
from django.utils.timezone import localtime, now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coaching.accounts.models import Membership
from coaching.notifications import registry
from coaching.notifications.services import reminder_schedule
from programs.access import contract_parties_for, proposal_party_of
from programs.models import ChemistryMeeting, Contract, ContractAcceptance, Program, Proposal
from sessions import calendar

ACTION_WAITING = "action_waiting"
PROGRAM_GRADUATED = "program_graduated"
PROPOSAL_TYPE = "programs.proposal"
CONTRACT_TYPE = "programs.contract"


# A proposal or a contract waiting for someone -----------------------------------------------


def _describe_waiting(obj, recipient):

    slug = obj.practice.slug
    name = "contract_detail" if isinstance(obj, Contract) else "proposal_detail"
    label = str(obj.current_version.number) if isinstance(obj, Contract) else ""
    return registry.Description(
        practice=obj.practice,
        label=label,
        path=registry.reverse_first([(name, {"slug": slug, "code": obj.code})]),
    )


def _waiting_text(reminder):
    if reminder.object_type == CONTRACT_TYPE:
        return gettext(
            "Version %(number)s of a coaching contract with %(practice)s is waiting for your "
            "acceptance."
        ) % {"number": reminder.object_label, "practice": reminder.practice.name}
    return gettext("A coaching proposal from %(practice)s is waiting for your answer.") % {
        "practice": reminder.practice.name
    }


def _still_waiting(reminder):

    if reminder.object_type == CONTRACT_TYPE:
        contract = Contract.objects.filter(code=reminder.object_code).first()
        if contract is None or contract.status != Contract.Status.SENT:
            return False
        version = contract.current_version
        if reminder.occasion != f"waiting:v{version.number}":
            return False
        accepted = set(
            ContractAcceptance.objects.filter(version=version).values_list("party", flat=True)
        )
        return bool(set(contract_parties_for(contract, reminder.recipient)) - accepted)
    proposal = Proposal.objects.filter(code=reminder.object_code).first()
    if proposal is None or proposal.status != Proposal.Status.SENT:
        return False
    party = proposal_party_of(proposal, reminder.recipient)
    return party is not None and not getattr(proposal, f"{party}_response")


def proposal_waiting_schedule(proposal):
    """Call in proposal_send's transaction: the client (once they have an account; before that
    their invitation asks them) and the sponsor are asked for their answer."""
    people = [p for p in (proposal.client, proposal.sponsor) if p is not None]
    return [
        reminder_schedule(
            kind=ACTION_WAITING,
            recipient=person,
            obj=proposal,
            occasion="waiting:proposal",
            due_at=now(),
        )
        for person in people
    ]


def contract_waiting_schedule(contract, *, actor=None):
    """Call in contract_send's transaction: every party who has not accepted the version just
    sent (all of them: it is new) is asked: the client, the sponsor, and the practice's active
    admins other than the one who sent it."""

    version = contract.current_version
    people = [contract.client, contract.sponsor]
    admins = Membership.objects.filter(
        practice=contract.practice, role=Membership.Role.ADMIN, deactivated_at=None
    ).select_related("user")
    people += [m.user for m in admins]
    seen = set()
    reminders = []
    for person in people:
        if person is None or person.pk in seen or (actor is not None and person.pk == actor.pk):
            continue
        seen.add(person.pk)
        reminders.append(
            reminder_schedule(
                kind=ACTION_WAITING,
                recipient=person,
                obj=contract,
                occasion=f"waiting:v{version.number}",
                due_at=now(),
            )
        )
    return reminders


registry.register(
    registry.Kind(
        name=ACTION_WAITING,
        label=_("A proposal or contract is waiting for you"),
        describe=_describe_waiting,
        text=_waiting_text,
        is_current=_still_waiting,
    )
)


# A program completed early: one word per person, not one per cancelled session ---------------

COMPLETED_EARLY = "program_completed_early"


def _describe_program(program, recipient):
    slug = program.practice.slug
    return registry.Description(
        practice=program.practice,
        label="",
        path=registry.reverse_first(
            [
                ("program_detail", {"slug": slug, "code": program.code}),
                ("practice_home", {"slug": slug}),
            ]
        ),
    )


def _completed_early_text(reminder):
    count = int(reminder.occasion.rsplit(":", 1)[1])
    return gettext(
        "Your coaching program was completed early. Its %(count)s remaining session(s) are "
        "cancelled; your calendar feed shows them cancelled."
    ) % {"count": count}


def completed_early_schedule(program, *, cancelled):
    """Call in the graduation's transaction: the coach and the client each get one reminder,
    whatever the number of sessions cancelled (the reason stays internal: not in the text)."""
    return [
        reminder_schedule(
            kind=COMPLETED_EARLY,
            recipient=person,
            obj=program,
            occasion=f"completed-early:{cancelled}",
            due_at=now(),
        )
        for person in (program.coach, program.client)
    ]


registry.register(
    registry.Kind(
        name=COMPLETED_EARLY,
        label=_("A coaching program was completed early"),
        describe=_describe_program,
        text=_completed_early_text,
    )
)


# Chemistry meetings: an invitation when proposed, a reminder the day before ------------------

CHEMISTRY_SCHEDULED = "chemistry_scheduled"
CHEMISTRY_UPCOMING = "chemistry_upcoming"


def _meeting_of(reminder):
    return (
        ChemistryMeeting.objects.filter(code=reminder.object_code)
        .select_related("coach", "contract__client", "contract__practice")
        .defer("client_note", "coach_note")
        .first()
    )


def _describe_meeting(meeting, recipient):
    contract = meeting.contract
    slug = contract.practice.slug
    if recipient.pk == contract.client_id:
        candidates = [("contract_detail", {"slug": slug, "code": contract.code})]
    else:
        candidates = [("dashboard_coach", {"slug": slug})]
    return registry.Description(
        practice=contract.practice, label="", path=registry.reverse_first(candidates)
    )


def _meeting_when(reminder):
    return formats.date_format(localtime(registry.occasion_time(reminder)), "DATETIME_FORMAT")


def _chemistry_scheduled_text(reminder):
    return gettext("A chemistry meeting is arranged for %(when)s.") % {
        "when": _meeting_when(reminder)
    }


def _chemistry_upcoming_text(reminder):
    return gettext("Your chemistry meeting starts on %(when)s.") % {"when": _meeting_when(reminder)}


def _meeting_still_on(reminder):
    return ChemistryMeeting.objects.filter(
        code=reminder.object_code,
        status=ChemistryMeeting.Status.SCHEDULED,
        starts_at=registry.occasion_time(reminder),
    ).exists()


def _attach_chemistry(message, reminder, recipient):
    meeting = _meeting_of(reminder)
    if meeting is not None:
        calendar.attach_chemistry_ics(message, meeting, for_user=recipient)


def chemistry_meeting_schedule(meeting):
    """Call in the proposal's transaction: the client and the candidate coach each get the
    invitation (with an .ics) now and a reminder 24 hours before, as for a session."""
    start = meeting.starts_at.isoformat()
    people = (meeting.coach, meeting.contract.client)
    for person in people:
        reminder_schedule(
            kind=CHEMISTRY_SCHEDULED,
            recipient=person,
            obj=meeting,
            occasion=f"scheduled:{start}",
            due_at=now(),
        )
        reminder_schedule(
            kind=CHEMISTRY_UPCOMING,
            recipient=person,
            obj=meeting,
            occasion=f"24h-before:{start}",
            due_at=max(now(), meeting.starts_at - timedelta(hours=24)),
        )


for _kind in [
    registry.Kind(
        name=CHEMISTRY_SCHEDULED,
        label=_("A chemistry meeting was arranged"),
        describe=_describe_meeting,
        text=_chemistry_scheduled_text,
        is_current=_meeting_still_on,
        attach=_attach_chemistry,
    ),
    registry.Kind(
        name=CHEMISTRY_UPCOMING,
        label=_("A chemistry meeting starts in 24 hours"),
        describe=_describe_meeting,
        text=_chemistry_upcoming_text,
        is_current=_meeting_still_on,
    ),
]:
    registry.register(_kind)


# A program graduated (#14) ------------------------------------------------------------------


def _describe_graduated(program, recipient):
    slug = program.practice.slug
    code = {"slug": slug, "code": program.code}
    if recipient.pk == program.client_id:
        candidates = [("program_certificate", code), ("dashboard_client", {"slug": slug})]
    elif recipient.pk == program.sponsor_id:
        candidates = [("sponsor_program", code), ("dashboard_sponsor", {"slug": slug})]
    else:
        candidates = [("program_detail", code), ("dashboard_admin", {"slug": slug})]
    return registry.Description(
        practice=program.practice, label="", path=registry.reverse_first(candidates)
    )


def _graduated_text(reminder):
    # No names and no content: the link opens the page the recipient may read.
    role = reminder.occasion.split(":", 1)[1]
    if role == "client":
        return gettext(
            "Congratulations: your coaching program with %(practice)s is complete. Your "
            "certificate is ready."
        ) % {"practice": reminder.practice.name}
    if role == "sponsor":
        return gettext("A coaching program you sponsor at %(practice)s has graduated.") % {
            "practice": reminder.practice.name
        }
    return gettext("A coaching program of %(practice)s has graduated.") % {
        "practice": reminder.practice.name
    }


def _still_graduated(reminder):
    return Program.objects.filter(
        code=reminder.object_code, status=Program.Status.GRADUATED
    ).exists()


def program_graduated_schedule(program, *, actor=None):
    """Call in the graduation's transaction: the client, the sponsor and the practice's
    active admins hear of it (the coach graduated it)."""
    people = [("client", program.client), ("sponsor", program.sponsor)]
    admins = Membership.objects.filter(
        practice=program.practice, role=Membership.Role.ADMIN, deactivated_at=None
    ).select_related("user")
    people += [("admin", m.user) for m in admins]
    seen = set()
    reminders = []
    for role, person in people:
        if person is None or person.pk in seen or (actor is not None and person.pk == actor.pk):
            continue
        seen.add(person.pk)
        reminders.append(
            reminder_schedule(
                kind=PROGRAM_GRADUATED,
                recipient=person,
                obj=program,
                occasion=f"graduated:{role}",
                due_at=now(),
            )
        )
    return reminders


registry.register(
    registry.Kind(
        name=PROGRAM_GRADUATED,
        label=_("A coaching program graduated"),
        describe=_describe_graduated,
        text=_graduated_text,
        is_current=_still_graduated,
    )
)
