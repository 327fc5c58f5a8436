"""`manage.py bench_data --scale S`: load a realistic volume for `make bench`, fast.

Scale 1 is the volume of the outside run in issue #11: 51 practices, the largest with 200
coaches and 5,000 clients; 25,000 programs, 300,000 sessions (12 a program), every session
part filled for the sessions already held. Scale 0.1 is a tenth (a quick run), 0.01 a smoke.
Rows go in with bulk inserts; content goes through the model fields, so it is really
encrypted (Fernet, as in production). Prints the time taken and the database's size.

Refuses to run on a database that already holds practices: it is meant for a database the
bench created for itself (scripts/bench.py), never for one that holds real data.
"""

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from coaching.accounts.models import Membership, Practice, User
from ethics.models import Consent
from programs.models import Contract, ContractVersion, Objective, Program, Proposal
from sessions.models import (
    ActionItem,
    CheckIn,
    CheckOut,
    ConversationNote,
    ObjectiveRating,
    Preparation,
    Session,
)

Role = Membership.Role
BATCH = 2000
SESSIONS_PER_PROGRAM = 12
LOREM = (
    "I want to lead my team through the reorganisation without losing the people who carry "
    "it; the conversations I avoid are the ones with my peers, and I notice I over-prepare."
)


def text(rng, n=120):
    start = rng.randrange(0, len(LOREM) - 40)
    return (LOREM[start:] + " " + LOREM)[:n]


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
            with connection.cursor() as cursor:  # planner statistics, as autovacuum would
                for model in (Session, Program, Membership, User, Proposal, Contract):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
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
                    created_at=p.created_at + timedelta(days=7),
                )
                for p in proposals[:n_clients]
            ],
        )
        self.bulk(
            ContractVersion,
            [
                ContractVersion(
                    contract=c,
                    number=1,
                    starts_on=c.created_at.date(),
                    ends_on=(c.created_at + timedelta(days=365)).date(),
                    sessions_count=SESSIONS_PER_PROGRAM,
                    session_minutes=60,
                    price_minor=15_000_000,
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
