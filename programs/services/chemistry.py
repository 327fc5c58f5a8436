"""Chemistry: after the contract is active, the client meets candidate coaches and chooses
one; the program starts with that choice. Its transitions are rows of
programs.transitions.CHEMISTRY (on the contract); a meeting's own states (scheduled, held,
chosen, not chosen) are set here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import services as billing_services
from coaching import feedcache
from coaching.access import roles_of
from coaching.accounts.models import Membership, User
from sessions.models import Session
from sessions.scheduling import overlapping

from .. import reminders as program_reminders
from ..models import ChemistryMeeting, CoachProfile, Program
from ..transitions import CHEMISTRY, locked

Role = Membership.Role


def chemistry_propose(
    *, contract, coach, starts_at, actor, format="video", place="", duration_minutes=30
):
    """The admin proposes a candidate coach and schedules the chemistry meeting."""
    CHEMISTRY.require_actor("propose", contract, actor)
    if Role.COACH not in roles_of(contract.practice, coach):
        raise ValidationError(_("That person is not a coach of this practice."))
    if starts_at <= timezone.now():
        raise ValidationError(
            _("A chemistry meeting cannot be in the past: choose a time to come.")
        )
    meeting = ChemistryMeeting(
        coach=coach,
        starts_at=starts_at,
        format=format,
        place=place,
        duration_minutes=duration_minutes,
    )

    def coach_is_free(contract):
        # The coach's row is the lock on their calendar: two proposals for one slot (on two
        # contracts, so the contract's lock does not serialise them) would both see it free.
        User.objects.select_for_update().filter(pk=coach.pk).first()
        clash = overlapping(
            ChemistryMeeting.objects.filter(coach=coach, status="scheduled"),
            starts_at,
            duration_minutes,
        ) + overlapping(
            Session.objects.filter(coach=coach, status__in=Session.BLOCKING),
            starts_at,
            duration_minutes,
        )
        if clash:
            raise ValidationError(
                _("%(name)s is already booked at that time.") % {"name": coach.display_name}
            )
        # The client's calendar too: two candidates met at the same minute, or a chemistry
        # meeting on top of one of the client's sessions elsewhere, cannot both happen.
        client = contract.client
        User.objects.select_for_update().filter(pk=client.pk).first()
        clash = overlapping(
            ChemistryMeeting.objects.filter(contract__client=client, status="scheduled"),
            starts_at,
            duration_minutes,
        ) + overlapping(
            Session.objects.filter(client=client, status__in=Session.BLOCKING),
            starts_at,
            duration_minutes,
        )
        if clash:
            raise ValidationError(
                _("%(name)s already has a meeting at that time.") % {"name": client.display_name}
            )

    def schedule(contract):
        meeting.contract = contract
        meeting.save()
        feedcache.feed_changed([meeting.coach_id, contract.client_id])
        program_reminders.chemistry_meeting_schedule(meeting)

    CHEMISTRY.apply(contract, "propose", actor=actor, check=coach_is_free, work=schedule)
    return meeting


def chemistry_record_outcome(*, meeting, actor, rapport, compatible, note="", share=False):
    """The client's or the candidate coach's view of the meeting (rapport 1-5). share: the
    client lets the coach they choose read their note (ignored for the coach's side)."""
    if actor.pk == meeting.contract.client_id:
        side = "client"
    elif actor.pk == meeting.coach_id:
        side = "coach"
    else:
        raise ValidationError(_("Only the client and the candidate coach record the outcome."))
    if not 1 <= int(rapport) <= 5:
        raise ValidationError(_("Rapport is a number from 1 to 5."))
    with transaction.atomic():
        meeting = locked(ChemistryMeeting, meeting)
        if meeting.status not in (ChemistryMeeting.Status.SCHEDULED, ChemistryMeeting.Status.HELD):
            raise ValidationError(_("This chemistry meeting is closed."))
        if meeting.starts_at > timezone.now():
            raise ValidationError(_("The outcome can be recorded once the meeting has started."))
        setattr(meeting, f"{side}_rapport", int(rapport))
        setattr(meeting, f"{side}_compatible", bool(compatible))
        setattr(meeting, f"{side}_note", note)
        if side == "client":
            meeting.client_shares_with_coach = bool(share)
        meeting.status = ChemistryMeeting.Status.HELD
        meeting.save()
    return meeting


def chemistry_choose(*, meeting, actor):
    """The client chooses this candidate: the program starts (with the contract's period)."""
    contract = meeting.contract
    CHEMISTRY.require_actor("choose", contract, actor)
    chosen = {}

    def outcome_recorded(contract):
        chosen["meeting"] = locked(ChemistryMeeting, meeting)
        if chosen["meeting"].client_compatible is None:
            raise ValidationError(_("Record how the meeting went before choosing."))
        if Role.COACH not in roles_of(contract.practice, chosen["meeting"].coach):
            raise ValidationError(
                _("This coach no longer coaches with the practice. Ask for another coach.")
            )

    def start_program(contract):
        version = contract.current_version
        chosen["program"] = Program.objects.create(
            practice=contract.practice,
            client=contract.client,
            coach=chosen["meeting"].coach,
            sponsor=contract.sponsor,
            contract=contract,
            status=Program.Status.ACTIVE,
            starts_on=version.starts_on,
            ends_on=version.ends_on,
        )
        # The billing report's table by coach: the contract's invoices are now this coach's.
        billing_services.report_program_started(chosen["program"])
        chosen["meeting"].status = ChemistryMeeting.Status.CHOSEN
        chosen["meeting"].save(update_fields=["status"])
        contract.chemistry_meetings.exclude(pk=meeting.pk).update(
            status=ChemistryMeeting.Status.NOT_CHOSEN
        )
        return {"program": chosen["program"]}

    CHEMISTRY.apply(
        contract,
        "choose",
        actor=actor,
        check=outcome_recorded,
        work=start_program,
        changes={"program_started": True},  # no longer in chemistry (Contract.program_started)
    )
    return chosen["program"]


def chemistry_ask_another(*, contract, actor, reason=""):
    """The client asks the practice for another candidate coach."""
    CHEMISTRY.apply(contract, "ask_another", actor=actor, reason=reason)


PROFILE_FIELDS = (
    "bio_en",
    "bio_id",
    "specialties_en",
    "specialties_id",
    "languages",
    "icf_level",
    "icf_number",
    "years_coaching",
)


def coach_profile_save(*, practice, actor, **fields):
    """A coach writes their own profile in the practice (what clients read at chemistry)."""
    if Role.COACH not in roles_of(practice, actor):
        raise ValidationError(_("Only a coach of the practice has a coach profile."))
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown profile field."))
    profile, _created = CoachProfile.objects.update_or_create(
        practice=practice, coach=actor, defaults={**fields, "updated_at": timezone.now()}
    )
    return profile


def coach_profiles_for(practice, coaches):
    """{coach id: profile} for the given coaches of the practice (one query)."""
    ids = [c.pk for c in coaches]
    return {p.coach_id: p for p in CoachProfile.objects.filter(practice=practice, coach__in=ids)}
