"""An email of EVERY reminder kind, rendered for a sponsor, a client and a coach, in English and
Indonesian, holds none of the canaries planted in every content field the kinds could reach."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from coaching.notifications import dispatch, registry
from coaching.notifications.models import InAppNotification, Reminder
from coaching.notifications.services import reminder_schedule
from ethics.models import PreparedExport, ProgressReport, Referral
from messaging.models import Message
from messaging.reminders import window_occasion
from programs.models import ContractVersion, Objective
from sessions.models import (
    ActionItem,
    CheckIn,
    CheckOut,
    ConversationNote,
    Preparation,
    Scope,
)
from sessions.rescheduling import reschedule_request_create
from tests.programs import builders

CANARIES = {
    "theme": "CANARY-THEME",
    "aims": "CANARY-AIMS",
    "current_state": "CANARY-CURRENT",
    "future_state": "CANARY-FUTURE",
    "objective": "CANARY-OBJECTIVE",
    "measure": "CANARY-MEASURE",
    "need": "CANARY-NEED",
    "payment_terms": "CANARY-PAYMENT",
    "termination_clause": "CANARY-TERMINATION",
    "confidentiality": "CANARY-CONFIDENTIALITY",
    "other_conditions": "CANARY-CONDITIONS",
    "change_reason": "CANARY-CHANGE",
    "status_reason": "CANARY-STATUS-REASON",
    "reflection": "CANARY-REFLECTION",
    "since_last_time": "CANARY-SINCE",
    "goal": "CANARY-GOAL",
    "agenda": "CANARY-AGENDA",
    "note": "CANARY-NOTE",
    "drift_text": "CANARY-DRIFT",
    "task": "CANARY-TASK",
    "done_comment": "CANARY-DONE",
    "confirmations": "CANARY-CONFIRMATIONS",
    "aha_moments": "CANARY-AHA",
    "insights": "CANARY-INSIGHTS",
    "take_aways": "CANARY-TAKEAWAYS",
    "new_behaviours": "CANARY-BEHAVIOURS",
    "referral_note": "CANARY-REFERRAL",
    "message": "CANARY-MESSAGE",
    "answer": "CANARY-ANSWER",
    "report": "CANARY-REPORT",
    "completion_summary": "CANARY-COMPLETION",
}


@pytest.fixture
def canary_world(world):
    """A program with a contract, a session and every part, every content field a canary."""
    program = builders.program(world, sessions=1)
    program.theme = CANARIES["theme"]
    program.aims = CANARIES["aims"]
    program.current_state = CANARIES["current_state"]
    program.future_state = CANARIES["future_state"]
    program.save()
    Objective.objects.create(
        program=program, position=1, text=CANARIES["objective"], measure=CANARIES["measure"]
    )
    proposal = program.contract.proposal
    type(proposal).objects.filter(pk=proposal.pk).update(need=CANARIES["need"])
    ContractVersion.objects.filter(contract=program.contract).update(
        payment_terms=CANARIES["payment_terms"],
        termination_clause=CANARIES["termination_clause"],
        confidentiality=CANARIES["confidentiality"],
        other_conditions=CANARIES["other_conditions"],
        change_reason=CANARIES["change_reason"],
    )
    session = program.sessions.get()
    type(session).objects.filter(pk=session.pk).update(status_reason=CANARIES["status_reason"])
    session.refresh_from_db()
    author = {"session": session, "author": world.coach, "scope": Scope.SPONSOR}
    Preparation.objects.create(**author, reflection=CANARIES["reflection"])
    CheckIn.objects.create(
        **author,
        since_last_time=CANARIES["since_last_time"],
        goal=CANARIES["goal"],
        agenda=CANARIES["agenda"],
    )
    note = ConversationNote.objects.create(
        **author, text=CANARIES["note"], on_theme="no", drift_text=CANARIES["drift_text"]
    )
    item = ActionItem.objects.create(
        **author,
        text=CANARIES["task"],
        done_comment=CANARIES["done_comment"],
        due_on=timezone.localdate() + timedelta(days=1),
    )
    CheckOut.objects.create(
        **author,
        confirmations=CANARIES["confirmations"],
        aha_moments=CANARIES["aha_moments"],
        insights=CANARIES["insights"],
        take_aways=CANARIES["take_aways"],
        new_behaviours=CANARIES["new_behaviours"],
    )
    referral = Referral.objects.create(
        program=program,
        coach=world.coach,
        professional="therapist",
        reason="mental_health",
        note=CANARIES["referral_note"],
        follow_up_on=timezone.localdate(),
    )
    message = Message.objects.create(program=program, author=world.client, body=CANARIES["message"])
    move = reschedule_request_create(
        session=session,
        actor=world.client,
        reason="health",
        times=[session.starts_at + timedelta(days=2)],
    )
    meeting = program.contract.chemistry_meetings.get()
    response = _questionnaire_for(world, program)
    invoice = _invoice_for(world, program)
    due = invoice.due_on.isoformat()
    report = ProgressReport.objects.create(
        program=program, author=world.coach, text=CANARIES["report"], status="approved"
    )
    type(program).objects.filter(pk=program.pk).update(
        completion_summary=CANARIES["completion_summary"]
    )
    start = session.starts_at.isoformat()
    day = timezone.localdate().isoformat()
    # The client's prepared data export (#11): its body holds every canary.
    export = PreparedExport.objects.create(
        practice=world.practice,
        client=world.client,
        body=" ".join(CANARIES.values()),
        prepared_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    # kind -> [(object, occasion)]; every registered kind must be here.
    return {
        "session_upcoming": [(session, f"24h-before:{start}")],
        "session_scheduled": [(session, f"scheduled:{start}")],
        "session_rescheduled": [(session, f"moved-to:{start}")],
        "session_cancelled": [(session, f"cancelled:{start}")],
        "session_notes_incomplete": [(session, f"24h-after:{start}")],
        "task_due": [(item, f"due:{item.due_on.isoformat()}")],
        "task_overdue": [(item, f"overdue:{item.due_on.isoformat()}")],
        "item_shared": [(note, "shared:sponsor")],
        "action_waiting": [(proposal, "waiting:proposal"), (program.contract, "waiting:v1")],
        "referral_follow_up": [(referral, f"follow-up:{day}")],
        "notes_retention_review": [(program, f"retention:{timezone.now().year}")],
        "message_received": [(program, window_occasion(message.created_at))],
        "reschedule_requested": [(move, "requested")],
        "program_completed_early": [(program, "completed-early:3")],
        "chemistry_scheduled": [(meeting, f"scheduled:{meeting.starts_at.isoformat()}")],
        "chemistry_upcoming": [(meeting, f"24h-before:{meeting.starts_at.isoformat()}")],
        "reschedule_answered": [(move, "answer:accepted"), (move, "answer:refused")],
        "questionnaire_waiting": [(response, "sent")],
        "invoice_issued": [(invoice, "issued")],
        "invoice_due_soon": [(invoice, f"due:{due}")],
        "invoice_overdue": [(invoice, f"overdue:{due}")],
        "program_graduated": [
            (program, "graduated:client"),
            (program, "graduated:sponsor"),
            (program, "graduated:admin"),
        ],
        "progress_report_approved": [
            (program, f"approved-sponsor:{report.code}"),
            (program, f"approved-coach:{report.code}"),
        ],
        "data_export_ready": [(export, f"ready:{export.prepared_at.isoformat()}")],
    }


def _questionnaire_for(world, program):
    """An intake sent to the client, its answers a canary (still waiting: the reminder is
    current)."""
    from intake.models import Questionnaire, Response
    from intake.services import response_send
    from tests.intake.builders import questionnaire

    questionnaire(world)
    response = response_send(
        practice=world.practice,
        kind=Questionnaire.Kind.INTAKE,
        client=world.client,
        occasion="canary",
        program=program,
    )
    Response.objects.filter(pk=response.pk).update(answers={"x": CANARIES["answer"]})
    return response


def _invoice_for(world, program):
    """An issued invoice of the canaried program's contract, billed to its client (billing)."""
    from billing.models import Invoice

    return Invoice.objects.create(
        practice=world.practice,
        contract=program.contract,
        program=program,
        status=Invoice.Status.ISSUED,
        year=2026,
        number=1,
        issued_on=timezone.localdate(),
        due_on=timezone.localdate() + timedelta(days=14),
        payer="client",
        bill_to=world.client,
        bill_to_name=world.client.display_name,
        total_minor=7_500_000,
    )


def _everything_in(subject, text, html, attachments):
    parts = [subject, text, html]
    for attachment in attachments:
        if hasattr(attachment, "get_payload"):
            parts.append(attachment.get_payload(decode=True).decode())
        else:
            parts.append(str(attachment))
    return "\n".join(parts)


def _assert_no_canary(haystack, where):
    leaked = [name for name, canary in CANARIES.items() if canary in haystack]
    assert not leaked, f"{where} leaks {leaked}"


def _app_kinds():
    """Registered kinds, less those the test suites register for themselves."""
    return {k.name for k in registry.all_kinds() if not k.text.__module__.startswith("tests.")}


def test_every_registered_kind_is_covered(canary_world):
    assert _app_kinds() == set(canary_world)


@pytest.mark.parametrize("persona", ["sponsor", "client", "coach"])
@pytest.mark.parametrize("language", ["en", "id"])
def test_no_email_of_any_kind_holds_a_canary(world, canary_world, persona, language):
    recipient = world.persona(persona)
    recipient.language = language
    recipient.save()
    rendered = 0
    for kind_name, targets in canary_world.items():
        kind = registry.get(kind_name)
        for obj, occasion in targets:
            reminder = reminder_schedule(
                kind=kind_name,
                recipient=recipient,
                obj=obj,
                occasion=occasion,
                due_at=timezone.now(),
            )
            _assert_no_canary(reminder.object_label + reminder.path, f"{kind_name} row")
            subject, text, html = registry.render_email(reminder, recipient)
            message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email])
            if kind.attach is not None:
                kind.attach(message, reminder, recipient)
            _assert_no_canary(
                _everything_in(subject, text, html, message.attachments),
                f"{kind_name} email to the {persona} in {language}",
            )
            _assert_no_canary(str(kind.text(reminder)), f"{kind_name} in-app text")
            rendered += 1
    assert rendered == sum(len(t) for t in canary_world.values())


def test_the_emails_actually_sent_hold_no_canary(world, canary_world):
    for kind_name, targets in canary_world.items():
        for obj, occasion in targets:
            for person in (world.sponsor, world.client, world.coach):
                reminder_schedule(
                    kind=kind_name,
                    recipient=person,
                    obj=obj,
                    occasion=occasion,
                    due_at=timezone.now(),
                )
    dispatch.dispatch_due()
    assert mail.outbox, "some reminders are current and must have been sent"
    for message in mail.outbox:
        html = "".join(content for content, _mime in message.alternatives)
        _assert_no_canary(
            _everything_in(message.subject, message.body, html, message.attachments),
            f"email {message.subject!r}",
        )
    assert InAppNotification.objects.count() == Reminder.objects.filter(status="sent").count()


def test_every_kind_reaches_an_indonesian_client_in_indonesian_whoever_caused_it(
    world, canary_world
):
    """An English-speaking admin or coach acts; the Indonesian client's email of every kind
    is Indonesian: no English interface string of the catalogue in subject, text or HTML."""
    from django.utils import translation

    from tests.i18n.english import english_leaks

    world.client.language = "id"
    world.client.full_name = "Andi Saputra"  # "Client" is a catalogue word
    world.client.save()
    for name in ("admin", "coach", "sponsor"):
        person = world.persona(name)
        person.full_name = {"admin": "Dewi Lestari", "coach": "Rina Wijaya"}.get(
            name, "Hendra Gunawan"
        )
        person.save()
    leaks = {}
    with translation.override("en"):  # the acting admin's or coach's request
        for kind_name, targets in canary_world.items():
            for obj, occasion in targets:
                reminder = reminder_schedule(
                    kind=kind_name,
                    recipient=world.client,
                    obj=obj,
                    occasion=occasion,
                    due_at=timezone.now(),
                )
                subject, text, html = registry.render_email(reminder, world.client)
                found = english_leaks(html) + english_leaks(subject) + english_leaks(text)
                if found:
                    leaks[kind_name] = sorted(set(found))
                assert translation.get_language() == "en"
    assert leaks == {}
    assert len(canary_world) >= 10
