"""Reminder kinds of the programs and ethics apps (registered in NotificationsConfig.ready()).

Which kind goes to whom, created by what, with which occasion: the table in README.md.

There are no consent requests in ethics (a client gives or withdraws a consent on their own
page), so no reminder waits on one.
"""

from datetime import date, timedelta

from django.utils import formats
from django.utils.timezone import now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import registry
from .kinds import _reverse_first
from .kinds_sessions import local_moment
from .services import reminder_schedule

ACTION_WAITING = "action_waiting"
REFERRAL_FOLLOW_UP = "referral_follow_up"
PROPOSAL_TYPE = "programs.proposal"
CONTRACT_TYPE = "programs.contract"


# A proposal or a contract waiting for someone -----------------------------------------------


def _describe_waiting(obj, recipient):
    from programs.models import Contract

    slug = obj.practice.slug
    name = "contract_detail" if isinstance(obj, Contract) else "proposal_detail"
    label = str(obj.current_version.number) if isinstance(obj, Contract) else ""
    return registry.Description(
        practice=obj.practice,
        label=label,
        path=_reverse_first([(name, {"slug": slug, "code": obj.code})]),
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
    from programs.models import Contract, ContractAcceptance, Proposal
    from programs.services import contract_parties_for, proposal_party_of

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
    from coaching.accounts.models import Membership

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


# Referral follow-up -------------------------------------------------------------------------


def _describe_referral(referral, recipient):
    practice = referral.program.practice
    return registry.Description(
        practice=practice,
        label="",  # never the client's name: a referral is itself sensitive
        path=_reverse_first(
            [
                ("referral_list", {"slug": practice.slug}),
                ("dashboard_coach", {"slug": practice.slug}),
            ]
        ),
    )


def _referral_text(reminder):
    day = date.fromisoformat(reminder.occasion.split(":", 1)[1])
    return gettext("A referral you made is due for follow-up on %(date)s.") % {
        "date": formats.date_format(day, "DATE_FORMAT")
    }


def _referral_still_due(reminder):
    from ethics.models import Referral

    day = reminder.occasion.split(":", 1)[1]
    return Referral.objects.filter(
        code=reminder.object_code, closed_at=None, follow_up_on=day
    ).exists()


def referral_follow_up_schedule(referral):
    """Call in referral_create's transaction (and the scan): 09:00 on the follow-up day."""
    if referral.follow_up_on is None or referral.closed_at is not None:
        return None
    practice = referral.program.practice
    return reminder_schedule(
        kind=REFERRAL_FOLLOW_UP,
        recipient=referral.coach,
        obj=referral,
        occasion=f"follow-up:{referral.follow_up_on.isoformat()}",
        due_at=local_moment(practice, referral.follow_up_on),
    )


def referral_follow_up_scan(*, at=None):
    """Open referrals with a follow-up date within a day: catches referrals whose date changed
    or that were made before reminders existed. Idempotent."""
    from ethics.models import Referral

    at = at or now()
    referrals = Referral.objects.filter(
        closed_at=None,
        follow_up_on__gte=at.date() - timedelta(days=14),
        follow_up_on__lte=at.date() + timedelta(days=1),
    ).select_related("program__practice", "coach")
    count = 0
    for referral in referrals:
        referral_follow_up_schedule(referral)
        count += 1
    return count


registry.register(
    registry.Kind(
        name=ACTION_WAITING,
        label=_("A proposal or contract is waiting for you"),
        describe=_describe_waiting,
        text=_waiting_text,
        is_current=_still_waiting,
    )
)
registry.register(
    registry.Kind(
        name=REFERRAL_FOLLOW_UP,
        label=_("A referral is due for follow-up"),
        describe=_describe_referral,
        text=_referral_text,
        is_current=_referral_still_due,
    )
)
