"""`make bench-reminders`: the rate of sending due reminders by real Celery workers, against the
rate of no-op tasks on the same workers and broker, in the same run (issue #11).

1. Creates its own PostgreSQL database (benchrem_<pid>_<time> on the server of
   BENCH_DATABASE_URL, default the local one; CREATE DATABASE fails if the name exists, and only
   that name is dropped at the end) and uses its own Redis database number (--redis-db, refused
   unless empty; flushed at the end) with a queue of its own. Migrates and loads
   `bench_data --scale 0.01` (practices, coaches, clients, programs, encrypted content).
2. Starts an SMTP sink on loopback (tests/smtp_sink.py: a real SMTP conversation per
   connection; it keeps only each message's Message-ID) and W Celery workers as the README
   deploys them (`celery -A coaching worker --loglevel=INFO`, production settings, default
   concurrency = the CPU count). No beat: this script plays beat's part, sending
   `notifications.dispatch_due` every 60 s as the production schedule does (beat's other
   scans would add reminders of their own).
3. (a) no-op tasks/s: M no-op tasks published at once, until the last has run (each one
   INCRs a Redis counter), before and after (b); their mean is the floor. (b) reminders/s:
   N due reminders of realistic kinds (half
   "session_upcoming" for the coach or the client of a future session, half
   "message_received" for a program's coach or client), created beforehand and made due in one
   UPDATE; from the first dispatch_due until every row is `sent`. Then 0 duplicates (each
   reminder's Message-ID exactly once at the sink) and 0 lost are checked.
4. Queries per reminder: a further sample dispatched in this process on the same database,
   under CaptureQueriesContext (claim included).
5. Appends the table to docs/benchmarks.md ("Reminder sending") with the machine and date.

Usage: python scripts/bench_reminders.py [--n 20000] [--workers 1,2] [--noop 3000]
       [--redis-db 12] [--out docs/benchmarks.md | --out -] [--keep]
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import machine  # scripts/bench.py: the same machine line in both tables
from celery import shared_task

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CELERY = str(Path(sys.executable).with_name("celery"))
NOOP_COUNTER = "benchrem:noop"


@shared_task(name="benchrem.noop", ignore_result=True)
def noop():
    """The floor: a task that does nothing but say it ran (one INCR)."""
    _client().incr(NOOP_COUNTER)


_REDIS = None


def _client():
    global _REDIS
    if _REDIS is None:
        import redis

        _REDIS = redis.Redis.from_url(os.environ["REDIS_URL"])
    return _REDIS


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("BENCH_REMINDERS_N", 20000)))
    parser.add_argument("--workers", default=os.environ.get("BENCH_REMINDERS_WORKERS", "1,2"))
    parser.add_argument("--noop", type=int, default=3000)
    parser.add_argument("--redis-db", type=int, default=int(os.environ.get("BENCH_REDIS_DB", 12)))
    parser.add_argument("--timeout", type=int, default=1200, help="seconds per measurement")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--profile", action="store_true", help="cProfile the in-process sample")
    return parser.parse_args(argv)


def server_url():
    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://coaching:coaching@127.0.0.1:5432/coaching"
    )
    if not url.startswith("postgres"):
        raise SystemExit("bench-reminders measures on PostgreSQL: BENCH_DATABASE_URL=postgres://")
    return url


def with_path(url, path):
    return urlunsplit(urlsplit(url)._replace(path=f"/{path}"))


class MessageIdSink:
    """tests/smtp_sink.py keeping only the Message-IDs (100,000 messages fit in memory)."""

    def __init__(self):
        from tests.smtp_sink import MESSAGE_ID, SmtpSink

        outer = self

        class Sink(SmtpSink):
            def accept(self, data):
                found = MESSAGE_ID.search(data)
                with self._lock:
                    outer.ids.append(found.group(1).decode() if found else "")

        self.ids = []
        self.sink = Sink()
        self.port = self.sink.port

    def __enter__(self):
        self.sink.__enter__()
        return self

    def __exit__(self, *exc):
        self.sink.__exit__(*exc)


def prepare_environment(db_url, redis_url, smtp_port, var_dir, queue):
    from ethics.crypto import generate_key

    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "coaching.settings.prod",
            "DATABASE_URL": db_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "REDIS_URL": redis_url,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CONTENT_ENCRYPTION_KEYS": generate_key(),
            "SECURE_SSL_REDIRECT": "0",
            "COACHING_VAR_DIR": var_dir,
            "LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "0",
        }
    )


def load():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("bench_data", scale=0.01)


def make_reminders(n, round_no):
    """n reminders of realistic kinds and recipients, not due yet (made due at the start)."""
    from django.db import transaction
    from django.utils import timezone

    from coaching.notifications import registry
    from coaching.notifications.models import Reminder
    from messaging.reminders import MESSAGE_RECEIVED, window_occasion
    from programs.models import Program
    from sessions.models import Session
    from sessions.reminders import SESSION_UPCOMING, session_upcoming_occasion

    now = timezone.now()
    later = now + timedelta(days=1)
    programs = list(Program.objects.select_related("practice", "coach", "client").order_by("pk"))
    sessions_needed = (n // 2 + 1) // 2
    # Session numbers are small integers, unique per program: 300 per round and program.
    assert sessions_needed // len(programs) < 300, "more programs needed for this N"
    session_kind, message_kind = registry.get(SESSION_UPCOMING), registry.get(MESSAGE_RECEIVED)

    def reminder(kind, obj, recipient, occasion):
        description = kind.describe(obj, recipient)
        return Reminder(
            practice_id=description.practice.pk,
            kind=kind.name,
            recipient_id=recipient.pk,
            object_type=obj._meta.label_lower,
            object_code=obj.code,
            object_label=str(description.label)[:120],
            occasion=occasion,
            path=description.path,
            due_at=now,
            next_attempt_at=later,
        )

    rows = []
    with transaction.atomic():
        sessions = []
        for i in range(sessions_needed):
            program = programs[i % len(programs)]
            sessions.append(
                Session(
                    program=program,
                    practice_id=program.practice_id,
                    number=13 + round_no * 300 + i // len(programs),
                    # Distinct whole minutes from 30 hours ahead, one round a day apart.
                    starts_at=(now + timedelta(hours=30, days=round_no, minutes=i)).replace(
                        second=0, microsecond=0
                    ),
                    coach_id=program.coach_id,
                    client_id=program.client_id,
                    video_link="https://meet.example/bench",
                )
            )
        sessions = Session.objects.bulk_create(sessions, batch_size=2000)
        by_program = {p.pk: p for p in programs}
        for session in sessions:
            session.program = by_program[session.program_id]
            occasion = session_upcoming_occasion(session)
            for person in (session.program.coach, session.program.client):
                rows.append(reminder(session_kind, session, person, occasion))
        i = 0
        while len(rows) < n:
            program = programs[i % len(programs)]
            window = now - timedelta(minutes=15 * (i // len(programs) + 1 + round_no * 3000))
            person = program.coach if i % 2 == 0 else program.client
            rows.append(reminder(message_kind, program, person, window_occasion(window)))
            i += 1
        rows = Reminder.objects.bulk_create(rows[:n], batch_size=2000)
    return [row.pk for row in rows]


def worker_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "scripts")])
    return env


def start_worker(name, log_dir):
    log = open(Path(log_dir) / f"{name}.log", "ab")  # noqa: SIM115
    # As the README deploys it, plus the bench's no-op task.
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        [CELERY, "-A", "coaching", "worker", "--loglevel=INFO", "-n", f"{name}@%h",
         "--include", "bench_reminders"],
        cwd=ROOT, env=worker_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out after {timeout} s waiting for {what}")


def measure_noop(m, timeout):
    redis = _client()
    redis.set(NOOP_COUNTER, 0)
    started = time.perf_counter()
    for _ in range(m):
        noop.apply_async()
    wait_until(lambda: int(redis.get(NOOP_COUNTER) or 0) >= m, timeout, "the no-op tasks")
    return m / (time.perf_counter() - started)


class Beat:
    """notifications.dispatch_due at once and then every 60 s, as the production schedule."""

    def __init__(self):
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        from coaching.notifications import tasks

        while not self.stopped.is_set():
            tasks.dispatch_due.apply_async(expires=55)
            self.stopped.wait(60)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=5)


def measure_reminders(ids, sink, timeout):
    from django.db import connection
    from django.utils import timezone

    from coaching.notifications.models import Reminder

    sent_before = len(sink.ids)
    # Made by one bulk insert while nothing else writes reminders: a range of ids of their
    # own. Polled by that range, not by pk IN (ids): with 100,000 ids each poll (every 0.2 s)
    # built and sent 100,000 parameters, and the bench's own process took most of a core
    # from the worker it measures (143 reminders/s at N = 100,000 against 519 at 5,000).
    rows = Reminder.objects.filter(pk__gte=min(ids), pk__lte=max(ids))
    assert rows.count() == len(ids), "the reminders of this round are not a range of ids"

    def left():
        return rows.exclude(status=Reminder.Status.SENT).count()

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifications_reminder")
    rows.update(next_attempt_at=timezone.now())
    started = time.perf_counter()
    with Beat():
        wait_until(lambda: left() == 0, timeout, "every reminder sent")
    took = time.perf_counter() - started
    rate = len(ids) / took
    time.sleep(1)  # the sink has answered every DATA before the row was marked; a margin
    got = Counter(sink.ids[sent_before:])
    expected = {row.message_id for row in rows.only(*KEY_FIELDS)}
    duplicates = sum(count - 1 for mid, count in got.items() if mid in expected)
    lost = len(expected - set(got))
    return rate, took, duplicates, lost


KEY_FIELDS = ("kind", "object_type", "object_code", "recipient_id", "occasion")


def queries_per_reminder(n, profile=False):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from coaching.notifications import dispatch
    from coaching.notifications.models import Reminder

    ids = make_reminders(n, round_no=90)
    Reminder.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now())
    started = time.perf_counter()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    with CaptureQueriesContext(connection) as queries:
        handled = dispatch.dispatch_due(budget_seconds=600)
    if profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    print(f"in-process: {n} reminders in {time.perf_counter() - started:.2f} s")
    assert handled == n, (handled, n)
    return len(queries.captured_queries) / n


def main(argv=None):
    import psycopg
    import redis as redis_lib

    args = parse_args(argv)
    url = server_url()
    name = f"benchrem_{os.getpid()}_{int(time.time())}"
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    broker = redis_lib.Redis.from_url(redis_url)
    if broker.dbsize():
        raise SystemExit(f"Redis database {args.redis_db} is not empty: choose --redis-db")
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')  # fails if the name exists: never reuse one
    var_dir = tempfile.mkdtemp(prefix="benchrem-")
    workers = []
    results = []
    try:
        with MessageIdSink() as sink:
            prepare_environment(
                with_path(url, name), redis_url, sink.port, var_dir, f"benchrem-{os.getpid()}"
            )
            started = time.perf_counter()
            load()
            print(f"\nloaded in {time.perf_counter() - started:.0f} s; database {name}")
            from django.db import connection

            counts = [int(w) for w in args.workers.split(",") if w.strip()]
            for round_no, count in enumerate(counts):
                ids = make_reminders(args.n, round_no)
                print(f"{args.n} reminders created; starting {count} worker(s)")
                connection.close()
                for k in range(count):
                    workers.append(start_worker(f"benchrem{round_no}-{k}", var_dir))
                measure_noop(50, 120)  # warm-up: every pool process is up
                # The no-op rate before and after the reminders (the machine's load moves
                # during a run): their mean is the floor the reminders are compared with.
                noop_before = measure_noop(args.noop, args.timeout)
                rate, took, duplicates, lost = measure_reminders(ids, sink, args.timeout)
                noop_after = measure_noop(args.noop, args.timeout)
                noop_rate = (noop_before + noop_after) / 2
                print(f"no-op tasks: {noop_before:.0f}/s before, {noop_after:.0f}/s after")
                print(
                    f"{count} worker(s): {args.n} reminders in {took:.1f} s = {rate:.1f}/s; "
                    f"ratio {rate / noop_rate:.2f}; duplicates {duplicates}, lost {lost}"
                )
                results.append(
                    (args.n, rate, (noop_rate, noop_before, noop_after), duplicates, lost, count)
                )
                for process in workers:
                    stop(process)
                workers = []
            per_reminder = queries_per_reminder(500, profile=args.profile)
            print(f"queries per reminder (500 dispatched in this process): {per_reminder:.2f}")
        write(args, results, per_reminder)
        return results
    finally:
        for process in workers:
            stop(process)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110
            pass
        broker.flushdb()  # it was empty when this run began: everything in it is ours
        if not args.keep:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(var_dir, ignore_errors=True)
        else:
            print(f"kept database {name} and logs in {var_dir}")
        admin.close()


def write(args, results, per_reminder):
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "| N | workers | reminders/s | no-op tasks/s (before / after) | ratio | duplicates "
        "| lost | queries per reminder |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, rate, (noop_rate, before, after), duplicates, lost, count in results:
        lines.append(
            f"| {n:,} | {count} | {rate:.1f} | {noop_rate:.0f} ({before:.0f} / {after:.0f}) | "
            f"{rate / noop_rate:.2f} | "
            f"{duplicates} | {lost} | {per_reminder:.2f} |"
        )
    section = (
        f"\n### Reminder sending: {when}\n\n"
        f"Machine: {machine()}. `scripts/bench_reminders.py`: PostgreSQL, Redis broker, "
        f"production settings, each worker `celery -A coaching worker` with its default "
        f"concurrency ({os.cpu_count()} processes), emails over SMTP to a sink on loopback; "
        f"reminders half session_upcoming, half message_received, batch size 50.\n\n"
        + "\n".join(lines)
        + "\n"
    )
    print(section)
    if args.out != "-":
        out = Path(args.out)
        text = out.read_text() if out.exists() else "# Benchmarks\n"
        out.write_text(into_section(text, section))
        print(f"written to the end of the Reminder sending section of {out}")


def into_section(text, section):
    """`text` with `section` at the end of its "## Reminder sending" section (other sections
    of docs/benchmarks.md follow it), which is added at the end if missing."""
    heading = "\n## Reminder sending\n"
    if heading not in text:
        text += heading + "\nWritten by `make bench-reminders` (scripts/bench_reminders.py).\n"
    start = text.index(heading) + len(heading)
    following = text.find("\n## ", start)
    if following == -1:
        return text + section
    return text[:following].rstrip("\n") + "\n" + section + text[following:]


if __name__ == "__main__":
    main()
