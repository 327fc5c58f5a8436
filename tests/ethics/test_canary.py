"""THE canary test: a unique string in every content field at every scope; every role crawls
every page reachable from its dashboard (GET, same host, /p/ and /me/), every export, every
email sent and the log output. Each canary appears exactly where its scope allows.

Who may read what:
- session parts: private -> the coach (author); client -> coach and client;
  sponsor -> also the program's sponsor, only while the client's consent is in force.
- program content (theme, aims, CSoB, FSoB, objectives, the revisions' theme and reason, the
  completion summary): coach and client, through the gate; objective reviews: the coach (the
  graduation page) and the client (the program page, issue 13). A revision's aims and
  objectives are kept but shown on no page: nobody.
- chemistry impressions: each side's to its author (the client's on the contract page; the
  coach's on the chosen program's page, so nobody here: no coach was chosen), and the client's
  to the chosen coach only if shared (tests/programs/test_chemistry_impressions.py).
- the proposal's need: its parties (admin, client, sponsor), who read the proposal.
- referral note, reflective journal, supervision notes, draft progress report: the coach only.
- an extra part of the coach's session template: like a session part, but never the sponsor.
- approved progress report: coach, client, and the sponsor under consent.
- messages: the program's coach and client (the thread, the client's export); an edited
  message's first text and a message deleted for everyone: nobody.
- questionnaire answers (intake, assessment): the program's coach and client. Alignment
  meetings' agreed goals: the coach and the client; the sponsor of a meeting they took part in,
  under consent. 360 raters' free text: the
  client and the coach, in a group with enough answers; a group below the threshold: nobody;
  the sponsor, with the report shared under consent, reads the numbers only.
Admins, schedulers, another coach of the practice and a user of another practice: nothing.
"""

import html
import logging
import re
from datetime import timedelta
from itertools import count
from urllib.parse import urljoin, urlsplit

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ethics.models import Consent, ProgressReport, Referral, ReflectiveJournalEntry
from programs.models import (
    ChemistryMeeting,
    Contract,
    ContractVersion,
    Objective,
    ObjectiveReview,
    Program,
    ProgramEvent,
    ProgramRevision,
    Proposal,
)
from session_templates.models import (
    ExtraPartNote,
    ProgramTemplate,
    SessionTemplate,
    TemplatePart,
)
from sessions.models import (
    ActionItem,
    CheckIn,
    CheckOut,
    ConversationNote,
    ObjectiveRating,
    Preparation,
    Scope,
    Session,
)
from supervision.models import SupervisionEntry
from tests.ethics.exports import prepare_export
from tests.factories import MembershipFactory, UserFactory

ROLES = [
    "admin",
    "scheduler",
    "coach",
    "other_coach",
    "client",
    "sponsor",
    "sponsor_no_consent",
    "outsider",
]
DASHBOARD = {
    "admin": "dashboard_admin",
    "scheduler": "dashboard_scheduler",  # logistics only: no canary, ever (#13)
    "coach": "dashboard_coach",
    "other_coach": "dashboard_coach",
    "client": "dashboard_client",
    "sponsor": "dashboard_sponsor",
    "sponsor_no_consent": "dashboard_sponsor",
    "outsider": "dashboard_admin",
}
HREF = re.compile(r'href="([^"#]+)')
MAX_PAGES = 300
MAX_DEPTH = 5


class Canaries:
    def __init__(self):
        self._n = count(1)
        self.allowed = {}  # canary -> set of roles

    def __call__(self, *roles, where=""):
        canary = f"CNRY{next(self._n):04d}{re.sub(r'[^a-z]', '', where.lower())[:12]}Z"
        self.allowed[canary] = set(roles)
        return canary


def _plant(world, canaries):
    sponsor_b = UserFactory(full_name="Sponsor B")
    MembershipFactory(practice=world.practice, user=sponsor_b, role="sponsor")
    Consent.objects.create(
        practice=world.practice,
        client=world.client,
        sponsor=world.sponsor,
        kind=Consent.Kind.SPONSOR_SHARING,
        text="I agree.",
        text_version="test",
    )
    now = timezone.now()
    programs, objectives = {}, {}
    template = SessionTemplate.objects.create(
        practice=world.practice, owner=world.coach, name="The coach's model"
    )
    for position, kind in enumerate(["check_in", "extra", "note", "check_out"], start=1):
        TemplatePart.objects.create(template=template, kind=kind, position=position)
    for key, sponsor in [("consented", world.sponsor), ("no_consent", sponsor_b)]:
        sponsor_role = ["sponsor"] if key == "consented" else []
        both = ("coach", "client")
        program = Program.objects.create(
            practice=world.practice,
            client=world.client,
            coach=world.coach,
            sponsor=sponsor,
            status="active",
            theme=canaries(*both, where="theme"),
            aims=canaries(*both, where="aims"),
            current_state=canaries(*both, where="csob"),
            future_state=canaries(*both, where="fsob"),
        )
        programs[key] = program
        objective = objectives[key] = Objective.objects.create(
            program=program,
            position=1,
            text=canaries(*both, where="objective"),
            measure=canaries(*both, where="measure"),
        )
        for number, scope in enumerate([Scope.PRIVATE, Scope.CLIENT, Scope.SPONSOR], start=1):
            roles = {
                Scope.PRIVATE: ["coach"],
                Scope.CLIENT: list(both),
                Scope.SPONSOR: [*both, *sponsor_role],
            }[scope]
            session = Session.objects.create(
                program=program,
                number=number,
                starts_at=now - timedelta(days=30 - 7 * number),
                coach=world.coach,
                client=world.client,
                status=Session.Status.HELD,
            )
            common = {"session": session, "author": world.coach, "scope": scope}
            Preparation.objects.create(**common, reflection=canaries(*roles, where="reflection"))
            CheckIn.objects.create(
                **common,
                since_last_time=canaries(*roles, where="since"),
                goal=canaries(*roles, where="goal"),
                agenda=canaries(*roles, where="agenda"),
            )
            ConversationNote.objects.create(
                **common,
                text=canaries(*roles, where="note"),
                on_theme="no",
                drift_reason="other",
                drift_text=canaries(*roles, where="drift"),
            )
            ActionItem.objects.create(
                **common,
                text=canaries(*roles, where="task"),
                done_at=now,
                done_comment=canaries(*roles, where="donecomment"),
            )
            CheckOut.objects.create(
                **common,
                confirmations=canaries(*roles, where="confirm"),
                aha_moments=canaries(*roles, where="aha"),
                insights=canaries(*roles, where="insights"),
                take_aways=canaries(*roles, where="takeaways"),
                new_behaviours=canaries(*roles, where="behaviours"),
                completed_at=now,
            )
            ObjectiveRating.objects.create(**common, objective=objective, score=number)
            # The coach's own extra part (#17): never on the sponsor's pages, whatever its scope.
            ExtraPartNote.objects.create(
                **common,
                position=2,
                title="Pause",
                text=canaries(*[r for r in roles if r != "sponsor"], where="extrapart"),
            )
        ProgramTemplate.objects.create(program=program, template=template, chosen_by=world.coach)
        # An upcoming session, for the reminder emails.
        Session.objects.create(
            program=program,
            number=4,
            starts_at=now + timedelta(hours=20),
            coach=world.coach,
            client=world.client,
        )
        ProgressReport.objects.create(
            program=program,
            author=world.coach,
            status=ProgressReport.Status.APPROVED,
            approved_at=now,
            text=canaries(*both, *sponsor_role, where="report"),
        )
    ProgressReport.objects.create(
        program=programs["consented"],
        author=world.coach,
        status=ProgressReport.Status.DRAFT,
        text=canaries("coach", where="draftreport"),
    )
    _plant_program_content(world, canaries, programs["consented"], objectives["consented"], now)
    Referral.objects.create(
        program=programs["consented"],
        coach=world.coach,
        professional=Referral.Professional.THERAPIST,
        reason=Referral.Reason.MENTAL_HEALTH,
        note=canaries("coach", where="referral"),
        follow_up_on=now.date(),
    )
    ReflectiveJournalEntry.objects.create(
        practice=world.practice,
        coach=world.coach,
        date=now.date(),
        text=canaries("coach", where="journal"),
    )
    SupervisionEntry.objects.create(
        practice=world.practice,
        coach=world.coach,
        kind=SupervisionEntry.Kind.SUPERVISION,
        date=now.date(),
        hours=1,
        with_whom="A supervisor",
        notes=canaries("coach", where="supervision"),
    )
    _plant_messages(world, canaries, programs["consented"])
    _plant_invoices(world, programs["consented"])
    _plant_intake(world, canaries, programs["consented"])
    return sponsor_b


def _plant_intake(world, canaries, program):
    """An answered intake and a 360 round (through the services, so their emails are in the
    scan): three managers answered (shown to the client and the coach as a group), two peers
    (below the threshold: nobody); the report is shared with the consented sponsor."""
    from django.test import TestCase

    from intake import services as intake
    from intake.models import Questionnaire, RaterInvitation
    from tests.intake.builders import access_of, invite, keyed, questionnaire

    both = ("coach", "client")
    questionnaire(world)
    response = intake.response_send(
        practice=world.practice,
        kind=Questionnaire.Kind.INTAKE,
        client=world.client,
        occasion="canary",
        program=program,
    )
    intake.response_submit(
        access=access_of(world, "client"),
        response=response,
        data=keyed(
            response.version,
            canaries(*both, where="intakelong"),
            3,
            "0",
            None,
            None,
            canaries(*both, where="intakeshort"),
        ),
        language="en",
    )
    questionnaire(world, Questionnaire.Kind.RATER)
    for group, roles, n in [("manager", both, 3), ("peer", (), 2)]:
        for i in range(n):
            token = invite(world, program, group, f"{group}{i}@example.test")
            invitation = RaterInvitation.objects.get(token_hash=intake.token_hash(token))
            with TestCase.captureOnCommitCallbacks(execute=True):
                intake.rater_answer_submit(
                    invitation=invitation,
                    data=keyed(
                        invitation.round.version, 4, canaries(*roles, where=f"rater{group}")
                    ),
                )
    rater_round = invitation.round
    intake.rater_report_share(
        access=access_of(world, "client"), rater_round=rater_round, share=True
    )
    # Three-way alignment: a meeting the sponsor took part in (they read it under consent),
    # one with a stakeholder only (the coach and the client).
    from intake.models import AlignmentMeeting, Stakeholder

    manager = Stakeholder.objects.create(program=program, role="line_manager", name="Pak Eko")
    for stage, with_sponsor, roles in [
        ("start", True, (*both, "sponsor")),
        ("end", False, both),
    ]:
        intake.alignment_record(
            access=access_of(world, "coach"),
            program=program,
            meeting=AlignmentMeeting(
                stage=stage,
                held_on=timezone.localdate(),
                with_sponsor=with_sponsor,
                stakeholder=None if with_sponsor else manager,
                agreed_goals=canaries(*roles, where=f"alignment{stage}"),
            ),
        )
    # An assessment's free-text answer: the coach and the client (its detail page, the export).
    questionnaire(
        world,
        Questionnaire.Kind.ASSESSMENT,
        [
            {"type": "scale", "text_en": "Calm", "text_id": "Tenang"},
            {"type": "long_text", "text_en": "Why?", "text_id": "Mengapa?"},
        ],
    )
    assessment = intake.assessment_send(
        access=access_of(world, "coach"), program=program, stage="start"
    )
    intake.response_submit(
        access=access_of(world, "client"),
        response=assessment,
        data=keyed(assessment.version, 3, canaries(*both, where="assessment")),
        language="en",
    )


def _plant_invoices(world, program):
    """Invoices of the canaried program, to its client and to its sponsor (billing): their
    pages are crawled by admin and bill-to and must show none of the program's content."""
    from billing.models import Invoice, InvoiceLine, Payment

    contract = Contract.objects.filter(practice=world.practice).first()
    for number, person in enumerate([world.client, world.sponsor], start=1):
        invoice = Invoice.objects.create(
            practice=world.practice,
            contract=contract,
            program=program,
            status=Invoice.Status.PARTLY_PAID,
            year=2026,
            number=number,
            issued_on=timezone.localdate(),
            due_on=timezone.localdate() + timedelta(days=14),
            payer="client" if person == world.client else "sponsor",
            bill_to=person,
            bill_to_name=person.display_name,
            subtotal_minor=7_500_000,
            total_minor=7_500_000,
            paid_minor=1_000_000,
        )
        InvoiceLine.objects.create(
            invoice=invoice,
            kind=InvoiceLine.Kind.INSTALMENT,
            facts={"number": 1, "count": 2, "trigger": "signature", "percent": "50"},
            unit_price_minor=7_500_000,
            amount_minor=7_500_000,
        )
        Payment.objects.create(
            invoice=invoice,
            practice=invoice.practice,
            currency=invoice.currency,
            paid_on=timezone.localdate(),
            amount_minor=1_000_000,
        )


def _plant_messages(world, canaries, program):
    """Messages of the thread, sent through the service (so their notifications are in the
    emails scanned): the two parties read them; an edit's first text and a deleted message:
    nobody."""
    from coaching.access import PracticeAccess
    from messaging import services as messaging

    def access(user, role):
        return PracticeAccess(user=user, practice=world.practice, roles=frozenset({role}))

    both = ("coach", "client")
    client, coach = access(world.client, "client"), access(world.coach, "coach")
    messaging.message_send(access=client, program=program, body=canaries(*both, where="msgclient"))
    messaging.message_send(access=coach, program=program, body=canaries(*both, where="msgcoach"))
    edited = messaging.message_send(access=coach, program=program, body=canaries(where="msgfirst"))
    messaging.message_edit(access=coach, message=edited, body=canaries(*both, where="msgedited"))
    gone = messaging.message_send(access=client, program=program, body=canaries(where="msggone"))
    messaging.message_delete(access=client, message=gone)
    # Attachments: the file's name and its bytes are content; a deleted message's file: nobody.
    for author, roles, where in ((client, both, "att"), (coach, (), "attgone")):
        name = canaries(*roles, where=f"{where}name") + ".pdf"
        data = b"%PDF-1.4\n" + canaries(*roles, where=f"{where}file").encode() + b"\n%%EOF\n"
        sent = messaging.message_send(
            access=author,
            program=program,
            body=canaries(*roles, where=f"{where}body"),
            attachment=SimpleUploadedFile(name, data, content_type="application/pdf"),
        )
        if not roles:
            messaging.message_delete(access=author, message=sent)


def _plant_program_content(world, canaries, program, objective, now):
    """Program content beyond the program's own row: a revision, a graduation review, a
    graduated program's completion summary, a proposal's need and chemistry notes."""
    both = ("coach", "client")
    ProgramRevision.objects.create(
        program=program,
        actor=world.coach,
        theme=canaries(*both, where="revtheme"),
        aims=canaries(where="revaims"),
        reason=canaries(*both, where="revreason"),
        objectives=[{"text": canaries(where="revobjective"), "measure": ""}],
    )
    ObjectiveReview.objects.create(
        objective=objective, result="partly", note=canaries(*both, where="review")
    )
    Program.objects.create(
        practice=world.practice,
        client=world.client,
        coach=world.coach,
        sponsor=world.sponsor,
        status=Program.Status.GRADUATED,
        theme=canaries(*both, where="gradtheme"),
        completion_summary=canaries(*both, where="summary"),
        # Shown on no page (not on the certificate): in the client's export.
        early_completion_reason=canaries("client", where="earlyreason"),
    )
    # Free-text reasons (#12): why a program paused reaches its coach and client, never the
    # admin or the sponsor; the coach's reason in the timeline reaches the coach only.
    paused = Program.objects.create(
        practice=world.practice,
        client=world.client,
        coach=world.coach,
        sponsor=world.sponsor,
        status=Program.Status.PAUSED,
        status_reason=canaries(*both, where="pausereason"),
    )
    # Why a session was cancelled (#12): shown on no page, in the client's export only.
    Session.objects.create(
        program=paused,
        number=1,
        starts_at=now + timedelta(days=3),
        coach=world.coach,
        client=world.client,
        status=Session.Status.CANCELLED_COACH,
        status_reason=canaries("client", where="sessionreason"),
    )
    ProgramEvent.objects.create(
        practice=world.practice,
        program=paused,
        subject="program",
        from_state="active",
        to_state="paused",
        actor=world.coach,
        reason=canaries("coach", where="eventreason"),
    )
    Proposal.objects.create(
        practice=world.practice,
        origin=Proposal.Origin.DEMAND_LED,
        client=world.client,
        sponsor=world.sponsor,
        need=canaries("admin", "client", "sponsor", where="need"),
        expires_on=now.date() + timedelta(days=14),
        status=Proposal.Status.SENT,
    )
    # A contract in chemistry: the meeting is held, both sides recorded how it went.
    accepted = Proposal.objects.create(
        practice=world.practice,
        origin=Proposal.Origin.DEMAND_LED,
        client=world.client,
        need="",
        expires_on=now.date(),
        status=Proposal.Status.ACCEPTED,
    )
    contract = Contract.objects.create(
        practice=world.practice,
        proposal=accepted,
        client=world.client,
        status=Contract.Status.ACTIVE,
    )
    ContractVersion.objects.create(
        contract=contract,
        number=1,
        starts_on=now.date(),
        ends_on=now.date() + timedelta(days=180),
        sessions_count=6,
        session_minutes=60,
        price_minor=1,
    )
    ChemistryMeeting.objects.create(
        contract=contract,
        coach=world.coach,
        starts_at=now - timedelta(days=1),
        status=ChemistryMeeting.Status.HELD,
        client_rapport=5,
        client_compatible=True,
        # Its author reads it (#13); the chosen coach too if shared (not chosen here).
        client_note=canaries("client", where="clientnote"),
        coach_rapport=4,
        coach_compatible=True,
        coach_note=canaries(where="coachnote"),
    )


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _crawl(browser, start):
    """Every page reachable from start: GET only, same host, /p/ and /me/, bounded."""
    pages, queue, visited = {}, [(start, 0)], set()
    while queue and len(visited) < MAX_PAGES:
        url, depth = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        response = browser.get(url)
        assert response.status_code < 500, url
        if response.status_code in (301, 302):
            queue.append((urljoin(url, response["Location"]), depth))
            continue
        if response.status_code != 200:
            continue
        body = _body(response)
        pages[url] = body
        if depth >= MAX_DEPTH or "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(body):
            target = urljoin(url, html.unescape(href))
            parts = urlsplit(target)
            if parts.netloc not in ("", "testserver") or "logout" in parts.path:
                continue
            if not parts.path.startswith(("/p/", "/me/")):
                continue
            queue.append((parts.path + (f"?{parts.query}" if parts.query else ""), depth + 1))
    return pages


@pytest.mark.django_db
def test_every_canary_appears_exactly_where_its_scope_allows(world, client_for, caplog, settings):
    caplog.set_level(logging.DEBUG)
    canaries = Canaries()
    sponsor_b = _plant(world, canaries)
    users = {
        "admin": world.admin,
        "scheduler": world.scheduler,
        "coach": world.coach,
        "other_coach": world.other_coach,
        "client": world.client,
        "sponsor": world.sponsor,
        "sponsor_no_consent": sponsor_b,
        "outsider": world.outsider,
    }
    # Emails the platform sends about these sessions (reminders) go to the outbox.
    from coaching.notifications import tasks
    from sessions import tasks as session_tasks

    session_tasks.scan_upcoming_sessions()
    # The client's export is prepared by a worker (#11) before anyone crawls: its body (every
    # canary the client may read) is in the database for every role's crawl, the "my data"
    # page and the download below read it, and its "ready" email is in the scan.
    prepare_export(client_for(world.client), world.practice)
    tasks.dispatch_due()

    seen = {canary: set() for canary in canaries.allowed}
    where = {}
    crawled = {}
    invoice_pages = {}
    for role in ROLES:
        user = users[role]
        practice = world.practice_b if role == "outsider" else world.practice
        browser = client_for(user)
        pages = _crawl(browser, reverse(DASHBOARD[role], args=[practice.slug]))
        crawled[role] = len(pages)
        invoice_pages[role] = sum("/invoices/" in url for url in pages)
        # The exports, also when no link leads there.
        for name in (
            "data_export_page",
            "data_export_json",
            "icf_hours_export",
            "invoice_list",
            "billing_report",
            "billing_report_csv",
        ):
            url = reverse(name, args=[practice.slug])
            response = browser.get(url)
            if response.status_code == 200:
                pages[url] = _body(response)
        text = "\n".join(pages.values())
        for canary in canaries.allowed:
            if canary in text:
                seen[canary].add(role)
                where.setdefault((canary, role), [u for u, b in pages.items() if canary in b][:3])

    emails = "\n".join(
        f"{m.subject}\n{m.body}\n" + "".join(str(a[0]) for a in getattr(m, "alternatives", []))
        for m in mail.outbox
    )
    assert mail.outbox, "the reminders sent no email: the email scan would be empty"
    logs = caplog.text
    leaks_elsewhere = [c for c in canaries.allowed if c in emails or c in logs]
    assert not leaks_elsewhere, f"in an email or the log: {leaks_elsewhere}"

    too_much = {
        c: sorted(seen[c] - allowed) for c, allowed in canaries.allowed.items() if seen[c] - allowed
    }
    assert not too_much, "LEAK: " + repr(
        {c: {r: where[(c, r)] for r in roles} for c, roles in too_much.items()}
    )
    too_little = {
        c: sorted(allowed - seen[c]) for c, allowed in canaries.allowed.items() if allowed - seen[c]
    }
    assert not too_little, f"not shown where the scope allows: {too_little}"
    # The crawl really went somewhere for every role.
    assert all(n >= 1 for n in crawled.values()), crawled
    assert crawled["coach"] > 10 and crawled["client"] > 5, crawled
    # The invoices were crawled by the admin and by each bill-to party.
    for role in ("admin", "client", "sponsor"):
        assert invoice_pages[role] >= 1, (role, invoice_pages)
    assert crawled["scheduler"] > 3, crawled  # the pipeline, the schedule, the programs
    print("pages crawled per role:", crawled)
