"""`manage.py bench_data --scale S`: load a realistic volume for `make bench`, fast.

Scale 1 is the volume of the outside run in issue #11: 51 practices, the largest with 200
coaches and 5,000 clients; 25,000 programs, 300,000 sessions (12 a program), every session
part filled for the sessions already held. Scale 0.1 is a tenth (a quick run), 0.01 a smoke.
Rows go in with bulk inserts; content goes through the model fields, so it is really
encrypted (Fernet, as in production). Prints the time taken and the database's size.

Refuses to run on a database that already holds practices: it is meant for a database the
bench created for itself (scripts/bench.py), never for one that holds real data.
"""

import hashlib
import random
import time
import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from billing import services as billing_services
from billing.models import (
    BillingSettings,
    ContractBilling,
    Instalment,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    Payment,
)
from coaching.accounts.models import Membership, Practice, User
from coaching.notifications.models import Reminder
from ethics.models import Consent
from intake.models import (
    Question,
    Questionnaire,
    QuestionnaireVersion,
    RaterAnswer,
    RaterGroup,
    RaterInvitation,
    RaterRound,
    Response,
    Stakeholder,
)
from messaging.models import Message, ThreadRead
from programs.models import (
    ChemistryMeeting,
    CoachProfile,
    Contract,
    ContractVersion,
    Objective,
    Program,
    Proposal,
)
from session_templates.models import ProgramTemplate, SessionTemplate, TemplatePart
from sessions.models import (
    ActionItem,
    CheckIn,
    CheckOut,
    ConversationNote,
    ObjectiveRating,
    Preparation,
    RescheduleRequest,
    Session,
)
from sessions.reminders import SESSION_UPCOMING
from supervision.models import SupervisionEntry

Role = Membership.Role
BATCH = 2000
SESSIONS_PER_PROGRAM = 12
MESSAGES_PER_PROGRAM = 10  # a thread between the client and the coach
SUPERVISION_PER_COACH = 24  # two years of monthly supervision or mentor coaching
PRICE_MINOR = 15_000_000
SPONSOR, CLIENT = ContractBilling.Payer.SPONSOR, ContractBilling.Payer.CLIENT
LOREM = (
    "I want to lead my team through the reorganisation without losing the people who carry "
    "it; the conversations I avoid are the ones with my peers, and I notice I over-prepare."
)


def text(rng, n=120):
    start = rng.randrange(0, len(LOREM) - 40)
    return (LOREM[start:] + " " + LOREM)[:n]


def session_reminders(sessions, slug, now, rng):
    """The "session starts in 24 hours" reminders of these sessions, for the coach and the
    client, as the reminder service makes them (sessions.reminders.session_upcoming_schedule):
    sent for the sessions whose reminder fell due before `now` (one in 200 failed after six
    attempts), pending for the others. A practice's outbox then holds what a year of sessions
    leaves in it (#11: the reminders page was measured on an outbox of a few dozen rows)."""
    # The links, reversed once per practice: the session's code replaces a placeholder.
    placeholder = "00000000-0000-0000-0000-000000000000"
    for_coach = reverse("session_prepare", kwargs={"slug": slug, "code": placeholder})
    for_client = reverse("client_coaching", kwargs={"slug": slug})  # as session_link does
    out = []
    for s in sessions:
        due = s.starts_at - timedelta(hours=24)
        occasion = "24h-before:" + s.starts_at.isoformat()
        for recipient, path in ((s.coach_id, for_coach), (s.client_id, for_client)):
            fields = {"status": Reminder.Status.PENDING}
            if due < now:
                failed = rng.random() < 0.005
                fields = {
                    "status": Reminder.Status.FAILED if failed else Reminder.Status.SENT,
                    "attempts": 6 if failed else 1,
                    "sent_at": None if failed else due + timedelta(seconds=rng.randrange(5, 90)),
                    "last_error": "SMTPServerDisconnected" if failed else "",
                }
            out.append(
                Reminder(
                    practice_id=s.practice_id,
                    kind=SESSION_UPCOMING,
                    recipient_id=recipient,
                    object_type="coaching_sessions.session",
                    object_code=s.code,
                    object_label=str(s.number),
                    occasion=occasion,
                    path=path.replace(placeholder, str(s.code)),
                    due_at=due,
                    next_attempt_at=due,
                    created_at=min(due, now) - timedelta(days=rng.randrange(1, 20)),
                    **fields,
                )
            )
    return out


class Command(BaseCommand):
    help = "Load the benchmark volume (scale 1 = 51 practices, 25,000 programs, 300,000 sessions)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.1)
        parser.add_argument("--seed", type=int, default=11)

    def handle(self, *args, scale, seed, **options):
        if scale <= 0 or scale > 4:
            raise CommandError("--scale must be above 0 and at most 4.")
        if Practice.objects.exists():
            raise CommandError(
                "This database already holds practices: bench_data fills only "
                "an empty database (the one scripts/bench.py creates)."
            )
        rng = random.Random(seed)
        started = time.perf_counter()
        self.now = timezone.now()
        self.rng = rng
        self.rows = 0
        big_clients = max(20, round(5000 * scale))
        big_coaches = max(2, round(200 * scale))
        others = max(1, round(50 * scale))
        other_clients = min(400, big_clients)
        other_coaches = max(2, round(other_clients / 25))
        plan = [("bench-large", big_coaches, big_clients)] + [
            (f"bench-{i:02d}", other_coaches, other_clients) for i in range(others)
        ]
        for n, (slug, coaches, clients) in enumerate(plan, 1):
            with transaction.atomic():
                self.practice(slug, coaches, clients)
            self.progress(n, len(plan), started)
        if connection.vendor == "postgresql":
            # What autovacuum does to a table that has been written: planner statistics, and
            # the visibility map that lets the planner read a count from an index alone (#11:
            # with a fifth of the proposals' pages not yet marked all-visible after the load,
            # the pipeline's counts read 5,400 rows from the table instead of the index).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
        elapsed = time.perf_counter() - started
        self.stdout.write("")
        size = self.database_size()
        self.stdout.write(
            f"bench_data: scale {scale}: {len(plan)} practices, {self.rows:,} rows in "
            f"{elapsed:.1f} s; database size {size}"
        )

    def progress(self, done, total, started):
        width = 30
        filled = round(width * done / total)
        self.stdout.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} practices, "
            f"{self.rows:,} rows, {time.perf_counter() - started:.0f} s",
            ending="",
        )
        self.stdout.flush()

    def database_size(self):
        if connection.vendor != "postgresql":
            return "n/a (not PostgreSQL)"
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            return cursor.fetchone()[0]

    def bulk(self, model, objs):
        out = model.objects.bulk_create(objs, batch_size=BATCH)
        self.rows += len(out)
        return out

    def practice(self, slug, n_coaches, n_clients):
        rng, now = self.rng, self.now
        practice = Practice.objects.create(name=slug.replace("-", " ").title(), slug=slug)
        self.slug = slug
        self.rows += 1
        n_sponsors = max(1, n_clients // 50)
        users = self.bulk(
            User,
            [User(email=f"admin@{slug}.bench", full_name=f"Admin {slug}")]
            + [
                User(email=f"coach{i}@{slug}.bench", full_name=f"Coach {i}")
                for i in range(n_coaches)
            ]
            + [
                User(email=f"client{i}@{slug}.bench", full_name=f"Client {i}")
                for i in range(n_clients)
            ]
            + [
                User(email=f"sponsor{i}@{slug}.bench", full_name=f"Sponsor {i}")
                for i in range(n_sponsors)
            ],
        )
        admin = users[0]
        coaches = users[1 : 1 + n_coaches]
        clients = users[1 + n_coaches : 1 + n_coaches + n_clients]
        sponsors = users[1 + n_coaches + n_clients :]
        self.bulk(
            Membership,
            [Membership(practice=practice, user=admin, role=Role.ADMIN)]
            + [Membership(practice=practice, user=u, role=Role.COACH) for u in coaches]
            + [Membership(practice=practice, user=u, role=Role.CLIENT) for u in clients]
            + [Membership(practice=practice, user=u, role=Role.SPONSOR) for u in sponsors],
        )
        # Every client has an accepted proposal, a contract and a program; 8% more proposals
        # are still open (drafts and sent), as in the outside run's pipeline.
        open_extra = max(1, round(n_clients * 0.08))
        proposals = []
        for i, client in enumerate(clients + clients[:open_extra]):
            accepted = i < n_clients
            proposals.append(
                Proposal(
                    practice=practice,
                    origin=Proposal.Origin.DEMAND_LED,
                    client=client,
                    sponsor=sponsors[i % n_sponsors] if i % 3 == 0 else None,
                    need=text(rng, 200),
                    duration=12,
                    sessions_count=SESSIONS_PER_PROGRAM,
                    price_minor=15_000_000,
                    expires_on=(now + timedelta(days=30)).date(),
                    status=Proposal.Status.ACCEPTED
                    if accepted
                    else rng.choice([Proposal.Status.DRAFT, Proposal.Status.SENT]),
                    created_by=admin,
                    created_at=now - timedelta(days=rng.randrange(30, 400)),
                )
            )
        proposals = self.bulk(Proposal, proposals)
        contracts = self.bulk(
            Contract,
            [
                Contract(
                    practice=practice,
                    proposal=p,
                    client=p.client,
                    sponsor=p.sponsor,
                    status=Contract.Status.ACTIVE,
                    program_started=True,  # each gets its program below
                    created_at=p.created_at + timedelta(days=7),
                )
                for p in proposals[:n_clients]
            ],
        )
        versions = self.bulk(
            ContractVersion,
            [
                ContractVersion(
                    contract=c,
                    number=1,
                    starts_on=c.created_at.date(),
                    ends_on=(c.created_at + timedelta(days=365)).date(),
                    sessions_count=SESSIONS_PER_PROGRAM,
                    session_minutes=60,
                    price_minor=PRICE_MINOR,
                    created_by=admin,
                    sent_at=c.created_at,
                )
                for c in contracts
            ],
        )
        self.bulk(
            Consent,
            [
                Consent(
                    practice=practice,
                    client=c.client,
                    sponsor=c.sponsor,
                    kind=Consent.Kind.SPONSOR_SHARING,
                    text="bench",
                    text_version="1",
                )
                for c in contracts
                if c.sponsor_id
            ],
        )
        programs = self.bulk(
            Program,
            [
                Program(
                    practice=practice,
                    client=c.client,
                    coach=coaches[i % n_coaches],
                    sponsor=c.sponsor,
                    contract=c,
                    status=Program.Status.ACTIVE,
                    theme=text(rng),
                    aims=text(rng),
                    current_state=text(rng),
                    future_state=text(rng),
                    starts_on=(c.created_at + timedelta(days=7)).date(),
                    ends_on=(c.created_at + timedelta(days=372)).date(),
                    created_at=c.created_at + timedelta(days=7),
                )
                for i, c in enumerate(contracts)
            ],
        )
        objectives = self.bulk(
            Objective,
            [
                Objective(program=p, position=k, text=text(rng, 80), measure=text(rng, 60))
                for p in programs
                for k in range(2)
            ],
        )
        objectives_of = {}
        for o in objectives:
            objectives_of.setdefault(o.program_id, []).append(o)
        self.later = LaterIssues(self, practice, admin, coaches, clients)
        self.later.before_sessions(contracts, versions, programs)
        for start in range(0, len(programs), 250):
            self.sessions(programs[start : start + 250], objectives_of)

    def sessions(self, programs, objectives_of):
        rng, now = self.rng, self.now
        sessions = []
        for p in programs:
            first = timezone.make_aware(
                timezone.datetime.combine(p.starts_on, timezone.datetime.min.time())
            ) + timedelta(hours=rng.randrange(8, 17))
            for n in range(SESSIONS_PER_PROGRAM):
                at = first + timedelta(days=21 * n + rng.randrange(0, 3))
                sessions.append(
                    Session(
                        program=p,
                        practice_id=p.practice_id,
                        number=n + 1,
                        starts_at=at,
                        coach_id=p.coach_id,
                        client_id=p.client_id,
                        status=Session.Status.HELD if at < now else Session.Status.SCHEDULED,
                        video_link="https://meet.example/bench",
                    )
                )
        sessions = self.bulk(Session, sessions)
        held = [s for s in sessions if s.status == Session.Status.HELD]
        # Every part, for every session held; the preparation also for the next one.
        self.bulk(
            Preparation,
            [
                Preparation(session=s, author_id=s.client_id, reflection=text(rng))
                for s in sessions
                if s.status == Session.Status.HELD or s.number == 1
            ],
        )
        self.bulk(
            CheckIn,
            [
                CheckIn(
                    session=s,
                    author_id=s.coach_id,
                    client_readiness=rng.randint(5, 10),
                    coach_readiness=rng.randint(6, 10),
                    since_last_time=text(rng),
                    goal=text(rng, 80),
                    agenda=text(rng, 80),
                )
                for s in held
            ],
        )
        self.bulk(
            ConversationNote,
            [ConversationNote(session=s, author_id=s.coach_id, text=text(rng, 400)) for s in held],
        )
        self.bulk(
            ActionItem,
            [
                ActionItem(
                    session=s,
                    author_id=s.coach_id,
                    assignee=ActionItem.Assignee.CLIENT,
                    text=text(rng, 80),
                    due_on=(s.starts_at + timedelta(days=14)).date(),
                    done_at=s.starts_at + timedelta(days=10) if k == 0 else None,
                )
                for s in held
                for k in range(2)
            ],
        )
        self.bulk(
            CheckOut,
            [
                CheckOut(
                    session=s,
                    author_id=s.coach_id,
                    confirmations=text(rng, 80),
                    aha_moments=text(rng, 80),
                    insights=text(rng, 80),
                    take_aways=text(rng, 80),
                    new_behaviours=text(rng, 80),
                    completed_at=s.starts_at + timedelta(hours=1),
                )
                for s in held
            ],
        )
        self.bulk(
            ObjectiveRating,
            [
                ObjectiveRating(
                    session=s, author_id=s.client_id, objective=o, score=rng.randint(3, 10)
                )
                for s in held
                for o in objectives_of.get(s.program_id, [])
            ],
        )
        self.bulk(Reminder, session_reminders(sessions, self.slug, now, rng))
        self.later.with_sessions(programs, sessions)


class LaterIssues:
    """The tables of the pages later issues added, filled at the same scale: billing (payment
    schedules, invoices, their lines and payments), messages, questionnaires and their answers
    (intake, assessments, session feedback, 360), session templates, supervision, coach
    profiles, chemistry meetings and reschedule requests. Content through the model fields
    (encrypted), rows in bulk."""

    def __init__(self, command, practice, admin, coaches, clients):
        self.command = command
        self.rng = command.rng
        self.now = command.now
        self.today = timezone.localdate(command.now)
        self.practice = practice
        self.admin = admin
        self.coaches = coaches
        self.clients = clients
        self.practice_setup()

    def bulk(self, model, objs):
        return self.command.bulk(model, objs)

    def text(self, n=120):
        return text(self.rng, n)

    def practice_setup(self):
        rng, now, practice = self.rng, self.now, self.practice
        self.bulk(
            BillingSettings,
            [
                BillingSettings(
                    practice=practice,
                    legal_name=f"PT {practice.name}",
                    address="Jl. Sudirman 1, Jakarta",
                    npwp="01.234.567.8-901.000",
                    bank_details="BCA 123 456 7890",
                )
            ],
        )
        self.bulk(
            CoachProfile,
            [
                CoachProfile(
                    practice=practice,
                    coach=coach,
                    bio_en=self.text(400),
                    bio_id=self.text(400),
                    specialties_en="Leadership, transitions",
                    specialties_id="Kepemimpinan, transisi",
                    languages="English, Bahasa Indonesia",
                    icf_level=rng.choice(["ACC", "PCC", "MCC", ""]),
                    years_coaching=rng.randint(2, 20),
                )
                for coach in self.coaches
            ],
        )
        self.bulk(
            SupervisionEntry,
            [
                SupervisionEntry(
                    practice=practice,
                    coach=coach,
                    kind=SupervisionEntry.Kind.SUPERVISION
                    if k % 3
                    else SupervisionEntry.Kind.MENTOR_COACHING,
                    date=self.today - timedelta(days=30 * k + rng.randrange(0, 10)),
                    hours=rng.choice([1, 1.5, 2]),
                    with_whom="Supervisor",
                    notes=self.text(200),
                    created_at=now - timedelta(days=30 * k),
                )
                for coach in self.coaches
                for k in range(SUPERVISION_PER_COACH)
            ],
        )
        # The practice's template, and one of their own for every fourth coach.
        owners = [None] + self.coaches[::4]
        templates = self.bulk(
            SessionTemplate,
            [
                SessionTemplate(
                    practice=practice,
                    owner=owner,
                    name="Practice model" if owner is None else f"Model of {owner.full_name}",
                )
                for owner in owners
            ],
        )
        kinds = [k for k in TemplatePart.Kind.values if k != TemplatePart.Kind.EXTRA]
        self.bulk(
            TemplatePart,
            [
                TemplatePart(
                    template=t,
                    kind=kind,
                    position=n,
                    prompts_en="What matters most today?",
                    prompts_id="Apa yang paling penting hari ini?",
                )
                for t in templates
                for n, kind in enumerate(kinds)
            ],
        )
        self.own_template = {t.owner_id: t for t in templates if t.owner_id}
        # One published questionnaire of each kind, five questions each.
        questionnaires = self.bulk(
            Questionnaire,
            [
                Questionnaire(
                    practice=practice,
                    kind=kind,
                    title_en=f"{kind.title()} questionnaire",
                    title_id=f"Kuesioner {kind}",
                )
                for kind in Questionnaire.Kind.values
            ],
        )
        versions = self.bulk(
            QuestionnaireVersion,
            [
                QuestionnaireVersion(questionnaire=q, number=1, published_at=now)
                for q in questionnaires
            ],
        )
        T = Question.Type
        shapes = [T.SCALE, T.LONG_TEXT, T.SINGLE, T.SCALE, T.TEXT]
        questions = self.bulk(
            Question,
            [
                Question(
                    version=v,
                    position=n,
                    type=shape,
                    text_en=f"Question {n + 1}",
                    text_id=f"Pertanyaan {n + 1}",
                    choices_en="Yes\nNo\nNot yet" if shape == T.SINGLE else "",
                    choices_id="Ya\nTidak\nBelum" if shape == T.SINGLE else "",
                    scale_min=1,
                    scale_max=10 if shape == T.SCALE else 5,
                )
                for v in versions
                for n, shape in enumerate(shapes)
            ],
        )
        self.version_of = {q.kind: v for q, v in zip(questionnaires, versions, strict=True)}
        self.questions_of = {}
        for q in questions:
            self.questions_of.setdefault(q.version_id, []).append(q)

    def answers(self, version):
        out = {}
        for q in self.questions_of[version.pk]:
            if q.type == Question.Type.SCALE:
                out[q.key] = self.rng.randint(q.scale_min, q.scale_max)
            elif q.type == Question.Type.SINGLE:
                out[q.key] = str(self.rng.randrange(3))
            else:
                out[q.key] = self.text(160)
        return out

    def response(self, kind, client, occasion, at, **links):
        version = self.version_of[kind]
        return Response(
            practice=self.practice,
            version=version,
            kind=kind,
            client=client,
            occasion=occasion,
            language="en",
            answers=self.answers(version),
            created_at=at,
            submitted_at=at + timedelta(days=2),
            **links,
        )

    def before_sessions(self, contracts, versions, programs):
        self.billing(contracts, versions, programs)
        self.chemistry(contracts, programs)
        self.questionnaires(contracts, programs)
        self.messages(programs)

    def billing(self, contracts, versions, programs):
        rng, today, practice = self.rng, self.today, self.practice
        self.bulk(
            ContractBilling,
            [
                ContractBilling(
                    contract=c,
                    payer=ContractBilling.Payer.SPONSOR
                    if c.sponsor_id
                    else ContractBilling.Payer.CLIENT,
                    legal_name=f"PT Sponsor {c.sponsor_id}" if c.sponsor_id else "",
                )
                for c in contracts
            ],
        )
        # Half at signature, half after the sixth session.
        instalments = self.bulk(
            Instalment,
            [
                Instalment(
                    version=v,
                    position=k,
                    kind=Instalment.Kind.PERCENT,
                    percent=50,
                    trigger=Instalment.Trigger.SIGNATURE if k == 0 else Instalment.Trigger.SESSION,
                    after_session=None if k == 0 else 6,
                    invoiced_at=v.sent_at,
                )
                for v in versions
                for k in range(2)
            ],
        )
        program_of = {p.contract_id: p for p in programs}
        pending = []
        for n, instalment in enumerate(instalments):
            contract = contracts[n // 2]
            program = program_of[contract.pk]
            if instalment.position == 0:
                issued = contract.created_at.date()
            else:
                issued = program.starts_on + timedelta(days=21 * 5 + 2)
                if issued > today:
                    continue
            due = issued + timedelta(days=14)
            amount = PRICE_MINOR // 2
            tax = amount * 11 // 100
            roll = rng.random()
            if instalment.position == 0 or roll < 0.5:
                status, paid = Invoice.Status.PAID, amount + tax
            elif roll < 0.6:
                status, paid = Invoice.Status.PARTLY_PAID, (amount + tax) // 2
            else:
                status = Invoice.Status.OVERDUE if due < today else Invoice.Status.ISSUED
                paid = 0
            sponsor = contract.sponsor
            payer = sponsor or contract.client
            pending.append(
                Invoice(
                    practice=practice,
                    contract=contract,
                    program=program,
                    instalment=instalment,
                    status=status,
                    year=issued.year,
                    prefix="INV",
                    issued_on=issued,
                    due_on=due,
                    payer=ContractBilling.Payer.SPONSOR
                    if sponsor
                    else ContractBilling.Payer.CLIENT,
                    bill_to=payer,
                    bill_to_name=payer.full_name,
                    seller_name=f"PT {practice.name}",
                    bank_details="BCA 123 456 7890",
                    ppn_rate=11,
                    subtotal_minor=amount,
                    tax_minor=tax,
                    total_minor=amount + tax,
                    paid_minor=paid,
                    created_by=self.admin,
                    created_at=timezone.make_aware(
                        timezone.datetime.combine(issued, timezone.datetime.min.time())
                    ),
                )
            )
        # Gapless numbers per year, in the order of issue.
        pending.sort(key=lambda i: (i.issued_on, i.contract_id))
        last = {}
        for invoice in pending:
            last[invoice.year] = invoice.number = last.get(invoice.year, 0) + 1
        self.bulk(
            InvoiceCounter,
            [InvoiceCounter(practice=practice, year=y, last_number=n) for y, n in last.items()],
        )
        invoices = self.bulk(Invoice, pending)
        self.bulk(
            InvoiceLine,
            [
                InvoiceLine(
                    invoice=i,
                    kind=InvoiceLine.Kind.INSTALMENT,
                    instalment_id=i.instalment_id,
                    facts={
                        "number": 1 if i.instalment.position == 0 else 2,
                        "count": 2,
                        "percent": "50",
                        "trigger": i.instalment.trigger,
                        "after_session": i.instalment.after_session,
                    },
                    unit_price_minor=i.subtotal_minor,
                    amount_minor=i.subtotal_minor,
                )
                for i in invoices
            ],
        )
        self.bulk(
            Payment,
            [
                Payment(
                    invoice=i,
                    practice_id=i.practice_id,
                    currency=i.currency,
                    paid_on=i.issued_on + timedelta(days=rng.randrange(1, 14)),
                    amount_minor=i.paid_minor,
                    reference=f"TRF-{i.number}",
                    recorded_by=self.admin,
                )
                for i in invoices
                if i.paid_minor
            ],
        )
        # The billing report's days, which billing.services keeps on each write, from the rows
        # loaded here in bulk.
        billing_services.report_days_rebuild(practice)

    def chemistry(self, contracts, programs):
        rng, coaches = self.rng, self.coaches
        program_of = {p.contract_id: p for p in programs}
        meetings = []
        for n, contract in enumerate(contracts):
            chosen = program_of[contract.pk].coach
            other = coaches[(n + 1) % len(coaches)]
            at = contract.created_at + timedelta(days=2, hours=rng.randrange(8, 17))
            for coach, status in (
                (chosen, ChemistryMeeting.Status.CHOSEN),
                (other, ChemistryMeeting.Status.NOT_CHOSEN),
            ):
                meetings.append(
                    ChemistryMeeting(
                        contract=contract,
                        coach=coach,
                        starts_at=at,
                        status=status,
                        client_rapport=rng.randint(3, 5),
                        client_compatible=status == ChemistryMeeting.Status.CHOSEN,
                        client_note=self.text(120),
                        coach_rapport=rng.randint(3, 5),
                        coach_compatible=True,
                        coach_note=self.text(120),
                        created_at=contract.created_at,
                    )
                )
                at += timedelta(days=1)
        self.bulk(ChemistryMeeting, meetings)

    def questionnaires(self, contracts, programs):
        K = Questionnaire.Kind
        self.bulk(
            Response,
            [
                self.response(K.INTAKE, c.client, f"intake:{c.code}", c.created_at, contract=c)
                for c in contracts
            ]
            + [
                self.response(
                    K.ASSESSMENT,
                    p.client,
                    f"assessment:{p.code}:start",
                    p.created_at,
                    contract_id=p.contract_id,
                    program=p,
                    stage=Response.Stage.START,
                )
                for p in programs
            ],
        )
        self.bulk(
            ProgramTemplate,
            [
                ProgramTemplate(
                    program=p, template=self.own_template[p.coach_id], chosen_by_id=p.coach_id
                )
                for p in programs
                if p.coach_id in self.own_template
            ],
        )
        self.bulk(
            Stakeholder,
            [
                Stakeholder(program=p, role=Stakeholder.Role.LINE_MANAGER, name="Line manager")
                for p in programs[::3]
            ],
        )
        # 360 feedback for every tenth program: six raters invited, all answered.
        rounds = self.bulk(
            RaterRound,
            [RaterRound(program=p, version=self.version_of[K.RATER]) for p in programs[::10]],
        )
        groups = [RaterGroup.MANAGER] + [RaterGroup.PEER] * 3 + [RaterGroup.DIRECT_REPORT] * 2
        self.bulk(
            RaterInvitation,
            [
                RaterInvitation(
                    round=r,
                    group=g,
                    email=f"rater{k}.{r.pk}@example.com",
                    language="en",
                    token_hash=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
                    answered_at=self.now,
                )
                for r in rounds
                for k, g in enumerate(groups)
            ],
        )
        self.bulk(
            RaterAnswer,
            [
                RaterAnswer(round=r, group=g, answers=self.answers(self.version_of[K.RATER]))
                for r in rounds
                for g in groups
            ],
        )

    def messages(self, programs):
        rng, now = self.rng, self.now
        messages, reads = [], []
        for p in programs:
            start = p.created_at
            span = max(now - start, timedelta(hours=1))
            for k in range(MESSAGES_PER_PROGRAM):
                messages.append(
                    Message(
                        program=p,
                        author_id=p.client_id if k % 2 == 0 else p.coach_id,
                        body=self.text(rng.randrange(60, 240)),
                        created_at=start + span * (k + 1) / (MESSAGES_PER_PROGRAM + 1),
                    )
                )
            # The coach has read the thread; the client has not read the coach's last message.
            reads.append(ThreadRead(program=p, reader_id=p.coach_id, read_at=now))
            reads.append(
                ThreadRead(program=p, reader_id=p.client_id, read_at=messages[-2].created_at)
            )
        for start in range(0, len(messages), BATCH):
            self.bulk(Message, messages[start : start + BATCH])
        self.bulk(ThreadRead, reads)

    def with_sessions(self, programs, sessions):
        rng, now = self.rng, self.now
        K = Questionnaire.Kind
        held = [s for s in sessions if s.status == Session.Status.HELD]
        self.bulk(
            Response,
            [
                self.response(
                    K.FEEDBACK,
                    s.client,
                    f"feedback:{s.code}",
                    s.starts_at + timedelta(hours=1),
                    program_id=s.program_id,
                    session=s,
                )
                for s in held
                if s.number % 3 == 0
            ],
        )
        requests = []
        next_of = {}
        for s in sessions:
            if s.status == Session.Status.SCHEDULED and s.program_id not in next_of:
                next_of[s.program_id] = s
        for n, s in enumerate(next_of.values()):
            if n % 20:
                continue
            requests.append(
                RescheduleRequest(
                    practice=self.practice,
                    session=s,
                    requested_by_id=s.client_id,
                    side=RescheduleRequest.Side.CLIENT,
                    reason=rng.choice(RescheduleRequest.Reason.values),
                    proposed_1=s.starts_at + timedelta(days=2),
                    proposed_2=s.starts_at + timedelta(days=3),
                    created_at=now - timedelta(days=1),
                )
            )
        for s in held[::25]:
            requests.append(
                RescheduleRequest(
                    practice=self.practice,
                    session=s,
                    requested_by_id=s.coach_id,
                    side=RescheduleRequest.Side.COACH,
                    reason=RescheduleRequest.Reason.TRAVEL,
                    proposed_1=s.starts_at,
                    status=RescheduleRequest.Status.ACCEPTED,
                    decided_by=self.admin,
                    decided_at=s.starts_at - timedelta(days=3),
                    created_at=s.starts_at - timedelta(days=5),
                )
            )
        self.bulk(RescheduleRequest, requests)
