"""Writes: consents, the access log, referrals, the coach's records, erasure.

Just over 400 lines: each write is short; split by topic (consents, referrals, erasure)
before it grows further.
"""

import re
import uuid

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare
from django.utils.module_loading import import_string
from django.utils.timezone import now
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coaching import feedcache
from coaching.access import Role
from coaching.accounts.models import Membership
from programs.models import Program

from . import access as gate
from .consent_texts import consent_text
from .models import (
    AccessEvent,
    CCEEntry,
    Consent,
    ErasureRequest,
    EthicsAttestation,
    PracticeScopeDefault,
    ProBonoProgram,
    ProgressReport,
    Referral,
    ReflectiveJournalEntry,
    ScopeBoundaryFlag,
)
from .reminders import progress_report_approved_schedule, referral_follow_up_schedule

ETHICS_CODE_VERSION = "ICF Code of Ethics 2025"


def _require(access, role):
    if not access.has(role):
        raise ValidationError(_("You do not have the role this needs."))


# Consents


@transaction.atomic
def consent_give(*, access, kind, sponsor=None):
    """Record the client's consent, with the text and version they agreed to. Idempotent:
    giving a consent already in force returns it."""
    _require(access, Role.CLIENT)
    if kind == Consent.Kind.SPONSOR_SHARING and sponsor is None:
        raise ValidationError(_("Say which sponsor may read what you share."))
    if kind == Consent.Kind.DATA_PROCESSING:
        sponsor = None
    existing = Consent.objects.in_force().filter(
        practice=access.practice, client=access.user, sponsor=sponsor, kind=kind
    )
    found = existing.first()
    if found:
        return found
    version, text = consent_text(kind, practice=access.practice, sponsor=sponsor)
    try:
        with transaction.atomic():
            return Consent.objects.create(
                practice=access.practice,
                client=access.user,
                sponsor=sponsor,
                kind=kind,
                text=text,
                text_version=version,
                language=get_language() or "",
            )
    except IntegrityError:  # a double click: the other request recorded it
        return existing.get()


@transaction.atomic
def consent_withdraw(*, consent, actor):
    """Withdraw at once: the gate checks withdrawn_at on every read."""
    if consent.client_id != actor.pk:
        raise ValidationError(_("Only the client can withdraw their consent."))
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    Consent.objects.filter(pk=consent.pk, withdrawn_at=None).update(withdrawn_at=now())
    consent.refresh_from_db(fields=["withdrawn_at"])
    return consent


# Access log


def _follow(item, *names):
    for name in names:
        obj = item
        for part in name.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                break
        if obj is not None:
            return obj
    return None


def access_record(
    *,
    reader,
    item,
    label,
    path="",
    kind=AccessEvent.Kind.READ,
    subject=None,
    practice=None,
    author=None,
):
    """Append one access event: reader read (or exported) item. No content: label names the
    item ("Session 3 check-out"). A read by the item's own author is not recorded.

    subject (whom the item is about) and practice are found on the item when not given
    (item.client / item.program.client / item.session.client, and the same for practice).
    """
    if author is not None and getattr(author, "pk", author) == reader.pk:
        return None
    if subject is None:
        subject = _follow(item, "client", "program.client", "session.client")
    if practice is None:
        practice = _follow(item, "practice", "program.practice", "session.program.practice")
    if practice is None:
        raise ValueError("access_record needs the item's practice.")
    return AccessEvent.objects.create(
        practice=practice,
        reader=reader,
        subject=subject,
        content_type=ContentType.objects.get_for_model(item),
        object_id=str(item.pk),
        label=str(label)[:120],
        path=(path or "")[:300],
        kind=kind,
    )


# Referrals


@transaction.atomic
def referral_create(
    *, access, program, professional, reason, note="", follow_up_on=None, pause_requested=False
):
    """Record a referral. A requested pause is recorded here; the programs app performs it."""
    _require(access, Role.COACH)
    if program.coach_id != access.user.pk or program.practice_id != access.practice.pk:
        raise ValidationError(_("Only the program's coach can refer its client."))
    if program.status not in (Program.Status.ACTIVE, Program.Status.PAUSED):
        raise ValidationError(_("This program has ended: a referral is made during a program."))
    if follow_up_on is not None and follow_up_on < now().date():
        raise ValidationError(_("The follow-up date cannot be in the past."))
    referral = Referral.objects.create(
        program=program,
        coach=access.user,
        professional=professional,
        reason=reason,
        note=note,
        follow_up_on=follow_up_on,
        pause_requested=pause_requested,
    )

    referral_follow_up_schedule(referral)  # in this transaction: the reminder lives with it
    return referral


@transaction.atomic
def referral_close(*, referral, actor):
    if referral.coach_id != actor.pk and referral.program.coach_id != actor.pk:
        raise ValidationError(_("Only the program's coach can close this referral."))
    if referral.closed_at is not None:
        raise ValidationError(_("This referral is already closed."))
    referral.closed_at = now()
    referral.save(update_fields=["closed_at"])
    return referral


# The coaching mindset


@transaction.atomic
def journal_entry_save(*, access, entry=None, date, text):
    _require(access, Role.COACH)
    if not text.strip():
        raise ValidationError(_("Write something to keep."))
    if entry is None:
        entry = ReflectiveJournalEntry(practice=access.practice, coach=access.user)
    elif entry.coach_id != access.user.pk:
        raise ValidationError(_("Only its author can change a journal entry."))
    entry.date = date
    entry.text = text
    entry.save()
    return entry


@transaction.atomic
def journal_entry_delete(*, entry, actor):
    if entry.coach_id != actor.pk:
        raise ValidationError(_("Only its author can delete a journal entry."))
    entry.delete()


@transaction.atomic
def cce_entry_create(*, access, category, hours, provider, date, description=""):
    _require(access, Role.COACH)
    if hours is None or hours <= 0 or hours > 200:
        raise ValidationError(_("Hours must be more than 0 and at most 200."))
    if date > now().date():
        raise ValidationError(_("Log development you have done, not planned."))
    return CCEEntry.objects.create(
        practice=access.practice,
        coach=access.user,
        category=category,
        hours=hours,
        provider=provider,
        date=date,
        description=description,
    )


@transaction.atomic
def cce_entry_delete(*, entry, actor):
    if entry.coach_id != actor.pk:
        raise ValidationError(_("Only its author can delete a CCE entry."))
    entry.delete()


@transaction.atomic
def ethics_attest(*, access, year=None, code_version=ETHICS_CODE_VERSION):
    """The coach attests to the ICF Code of Ethics for a year; once per year."""
    _require(access, Role.COACH)
    year = year or now().year
    attestation, created = EthicsAttestation.objects.get_or_create(
        practice=access.practice,
        coach=access.user,
        year=year,
        defaults={"code_version": code_version},
    )
    if not created:
        raise ValidationError(_("You have already attested for %(year)s.") % {"year": year})
    return attestation


@transaction.atomic
def program_pro_bono_set(*, access, program, pro_bono):
    """Mark (or unmark) a program pro bono for the coach's ICF hours log."""
    _require(access, Role.COACH)
    if program.coach_id != access.user.pk or program.practice_id != access.practice.pk:
        raise ValidationError(_("Only the program's coach can say whether it is pro bono."))
    if pro_bono:
        ProBonoProgram.objects.get_or_create(program=program, defaults={"marked_by": access.user})
    else:
        ProBonoProgram.objects.filter(program=program).delete()


# The client's rights


@transaction.atomic
def erasure_request_create(*, access):
    _require(access, Role.CLIENT)
    existing = ErasureRequest.objects.filter(
        practice=access.practice, user=access.user, completed_at=None
    ).first()
    if existing:
        raise ValidationError(_("Your erasure request is already with the practice."))
    return ErasureRequest.objects.create(practice=access.practice, user=access.user)


ERASED_NAME = "Erased client"


def _scrub(text, needles):
    for needle in needles:
        pattern = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
        text = re.sub(pattern, "[erased client]", text, flags=re.IGNORECASE)
    return text


def erase_ethics_records(*, user, practice):
    """Ethics' part of erasure: the client's name taken out of coaches' journals and the notes
    of referrals about them cleared; consents withdrawn (the rows stay as proof)."""

    # The full name and the email address; single first names would scrub ordinary words.
    needles = sorted(
        {n.strip() for n in [user.full_name, user.email] if n.strip()}, key=len, reverse=True
    )
    for entry in ReflectiveJournalEntry.objects.filter(practice=practice):
        scrubbed = _scrub(entry.text, needles)
        if scrubbed != entry.text:
            entry.text = scrubbed
            entry.save(update_fields=["text", "updated_at"])
    programs = Program.objects.filter(practice=practice, client=user)
    # Why the program paused or ended early: free text about the client (the events keep the
    # transition's who, when and states; programs.privacy blanks their reasons).
    programs.update(status_reason="", early_completion_reason="")
    for referral in Referral.objects.filter(program__in=programs).exclude(note=""):
        referral.note = ""
        referral.save(update_fields=["note"])
    Consent.objects.filter(practice=practice, client=user, withdrawn_at=None).update(
        withdrawn_at=now()
    )
    erase_progress_reports(programs=programs)


def _erasure_steps():

    return [erase_ethics_records] + [
        import_string(path) for path in getattr(settings, "ERASURE_STEPS", [])
    ]


@transaction.atomic
def erasure_complete(*, access, request, actor):
    """Complete an erasure request: each app removes or anonymises its content
    (settings.ERASURE_STEPS), the memberships in this practice end, and the account is
    anonymised unless the person still belongs to another practice."""

    _require(access, Role.ADMIN)
    if request.practice_id != access.practice.pk:
        raise ValidationError(_("This request belongs to another practice."))
    # Lock the request: two admins clicking at once must not both run the steps.
    request = ErasureRequest.objects.select_for_update().select_related("user").get(pk=request.pk)
    if request.completed_at is not None:
        raise ValidationError(_("This erasure request is already completed."))
    user = request.user
    for step in _erasure_steps():
        step(user=user, practice=access.practice)
    Membership.objects.filter(practice=access.practice, user=user, deactivated_at=None).update(
        deactivated_at=now(), deactivated_by=actor
    )
    elsewhere = Membership.objects.filter(user=user, deactivated_at=None).exclude(
        practice=access.practice
    )
    if not elsewhere.exists():
        erased = uuid.uuid4().hex[:12]
        user.email = f"erased-{erased}@invalid"
        user.full_name = ERASED_NAME
        user.is_active = False
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.filter(user=user).delete()
        feedcache.feed_changed([user.pk], everyone=True)  # the name in coaches' feeds
    request.completed_at = now()
    request.completed_by = actor
    request.save(update_fields=["completed_at", "completed_by"])
    return request


# Scope defaults, progress reports, scope-boundary flags (issue 5, second part)


@transaction.atomic
def scope_defaults_save(*, access, scopes):
    """scopes: {part: scope}. The practice admin sets the default scope of new parts."""

    _require(access, Role.ADMIN)
    for part, scope in scopes.items():
        if part not in PracticeScopeDefault.Part.values:
            raise ValidationError(_("Unknown kind of session part."))
        if scope not in PracticeScopeDefault.Scope.values:
            raise ValidationError(_("Unknown scope."))
        if scope not in PracticeScopeDefault.allowed(part):
            raise ValidationError(
                _("A practice default can only narrow who reads a new part, never widen it.")
            )
        PracticeScopeDefault.objects.update_or_create(
            practice=access.practice, part=part, defaults={"scope": scope}
        )
    gate.scope_defaults_changed()


@transaction.atomic
def progress_report_save(*, access, program, text, report=None, submit=False):
    """The program's coach drafts (or changes a draft of) the sponsor's progress report;
    submit=True sends it to the client for approval."""

    _require(access, Role.COACH)
    if program.coach_id != access.user.pk or program.practice_id != access.practice.pk:
        raise ValidationError(_("Only the program's coach can write its progress report."))
    if program.sponsor_id is None:
        raise ValidationError(_("This program has no sponsor to report to."))
    if not text.strip():
        raise ValidationError(_("Write the report."))
    if report is None:
        report = ProgressReport(program=program, author=access.user)
    elif report.status == ProgressReport.Status.APPROVED:
        raise ValidationError(_("An approved report cannot be changed; write a new one."))
    report.text = text
    report.status = ProgressReport.Status.SUBMITTED if submit else ProgressReport.Status.DRAFT
    report.submitted_at = now() if submit else None
    report.save()
    return report


@transaction.atomic
def progress_report_approve(*, report, actor, digest):
    """The client approves a submitted report, the very text they read (its digest); only then
    may the sponsor read it. A report changed since the client opened it needs a new reading."""

    if report.program.client_id != actor.pk:
        raise ValidationError(_("Only the client can approve this report."))
    if report.status != ProgressReport.Status.SUBMITTED:
        raise ValidationError(_("Only a report waiting for your approval can be approved."))
    if not constant_time_compare(digest or "", report.digest):
        raise ValidationError(
            _("Your coach changed this report after you opened it. Read it again, then approve.")
        )
    with transaction.atomic():
        report.status = ProgressReport.Status.APPROVED
        report.approved_at = now()
        report.save(update_fields=["status", "approved_at"])
        progress_report_approved_schedule(report)
    return report


@transaction.atomic
def scope_boundary_flag(*, session, territory, actor):
    """At check-out the coach flags that the conversation left coaching for consulting or
    therapy territory. The page then offers the referral flow."""

    if session.program.coach_id != actor.pk:
        raise ValidationError(_("Only the program's coach can flag this session."))
    if territory not in ScopeBoundaryFlag.Territory.values:
        raise ValidationError(_("Say which territory the conversation went into."))
    return ScopeBoundaryFlag.objects.create(session=session, territory=territory, flagged_by=actor)


def erase_progress_reports(*, programs):
    """Erasure: the progress reports about the client are deleted (content, not logistics);
    the scope-boundary flags of their sessions go too."""

    ProgressReport.objects.filter(program__in=programs).delete()
    ScopeBoundaryFlag.objects.filter(session__program__in=programs).delete()
