"""`make bench`: every main page under gunicorn (production settings) on a loaded database,
measured against floors F0/F1/F2 on the same stack in the same run.

1. Creates its own PostgreSQL database (bench_<pid>_<time>, on the server of BENCH_DATABASE_URL,
   default the local one), migrates it and loads `manage.py bench_data --scale S`. It never
   touches a database it did not create: the name is new (CREATE DATABASE fails otherwise) and
   only that name is dropped at the end. --keep leaves it, marked as the bench's own (a comment
   on the database, MARKER, naming the scale loaded); `--reuse NAME` runs on such a database
   again (migrates it, loads nothing) and refuses any database without that mark.
2. Signs in (server-side sessions) the admin, a coach, a client and a sponsor of the largest
   practice; starts gunicorn with coaching.settings.prod and BENCH_TIMING=1, which adds an
   outermost middleware reporting the time inside Django (X-Bench-Ms) and the queries
   (X-Bench-Queries) per request, and the floor pages.
3. Requests every page ROUNDS times, interleaved with F0, F1 and F2 (each round is every page
   once, in a shuffled order), at concurrency 8; reports per page the queries per request,
   server time median/p95/p99, client latency median/p95 and the ratios to F2.
4. Writes the table to docs/benchmarks.md (--out) under a heading with the machine and date.

Usage: python scripts/bench.py [--scale 0.1] [--rounds 20] [--concurrency 8] [--label BEFORE]
       [--out docs/benchmarks.md | --out -] [--keep | --reuse bench_<pid>_<time>]
"""

import argparse
import base64
import hashlib
import http.client
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 0.1)))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 20)))
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--label", default=os.environ.get("BENCH_LABEL", ""))
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument(
        "--keep",
        action="store_true",
        default=os.environ.get("BENCH_KEEP") == "1",
        help="do not drop the database at the end (marked as the bench's, for --reuse)",
    )
    parser.add_argument(
        "--reuse",
        metavar="NAME",
        default=os.environ.get("BENCH_REUSE") or None,
        help="run on a database an earlier `--keep` run left (its scale); never any other",
    )
    args = parser.parse_args(argv)
    if args.reuse and not BENCH_NAME.fullmatch(args.reuse):
        parser.error(
            f"--reuse takes a bench database's name (bench_<pid>_<time>), not {args.reuse}"
        )
    return args


# The mark of a database this bench created: a comment on the database, set right after
# CREATE DATABASE and completed with the scale once bench_data has loaded it.
MARKER = "coaching bench database, created by scripts/bench.py"
BENCH_NAME = re.compile(r"bench_\d+_\d+")


def mark(admin, name, scale=None):
    loaded = f"; loaded at scale {scale}" if scale is not None else ""
    comment = f"{MARKER}{loaded}"
    admin.execute(f'COMMENT ON DATABASE "{name}" IS ' + "'" + comment.replace("'", "''") + "'")


def marked_scale(admin, name):
    """The scale a bench database holds, from its mark. Refuses (SystemExit) a database that
    does not exist, was not created by this bench, or whose load did not finish."""
    row = admin.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
    ).fetchone()
    if row is None:
        raise SystemExit(f"--reuse {name}: no such database")
    comment = row[0] or ""
    if not comment.startswith(MARKER):
        raise SystemExit(
            f"--reuse {name}: refused, this database does not carry the bench's mark "
            "(the bench never touches a database it did not create)"
        )
    found = re.search(r"loaded at scale ([0-9.]+)$", comment)
    if found is None:
        raise SystemExit(f"--reuse {name}: refused, its load did not finish")
    return float(found.group(1))


def server_url():
    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://coaching:coaching@127.0.0.1:5432/coaching"
    )
    if not url.startswith("postgres"):
        raise SystemExit(
            "make bench measures on PostgreSQL: BENCH_DATABASE_URL must be postgres://"
        )
    return url


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_connection(url):
    import psycopg

    conn = psycopg.connect(url, autocommit=True)
    return conn


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_key(name):
    """The content key of a bench database, derived from its name, so that a run with --reuse
    reads what the run with --keep wrote. The bench's data is synthetic (bench_data): this key
    protects nothing real, and it is used for no other database."""
    digest = hashlib.sha256(f"coaching-bench-content-key:{name}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")


def prepare_environment(db_url, static_root, name):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "coaching.settings.prod",
            "DATABASE_URL": db_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CONTENT_ENCRYPTION_KEYS": bench_key(name),
            "SECURE_SSL_REDIRECT": "0",
            "BENCH_TIMING": "1",
            "COACHING_VAR_DIR": static_root,
            "LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "REAUTHENTICATION_TIMEOUT": str(7 * 24 * 3600),
        }
    )
    os.environ.pop("REDIS_URL", None)


def load(scale, data=True):
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    if data:
        call_command("bench_data", scale=scale)


def sign_in(user):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # The authentication record a real sign-in leaves (allauth), so that the pages behind
    # re-authentication (the client's export) answer (REAUTHENTICATION_TIMEOUT is raised).
    store["account_authentication_methods"] = [{"method": "password", "at": time.time()}]
    store["account_authentication_methods_user"] = str(user.pk)
    store.create()
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}"}


def pages():
    """(label, headers, path) of every main page, for users of the largest practice."""
    from django.urls import reverse

    from coaching.accounts.models import Membership, Practice
    from coaching.notifications.services import calendar_feed_regenerate
    from programs.models import Program
    from sessions.models import Session

    Role = Membership.Role
    practice = Practice.objects.get(slug="bench-large")
    slug = {"slug": practice.slug}

    def member(role):
        return (
            Membership.objects.filter(practice=practice, role=role)
            .select_related("user")
            .order_by("pk")
            .first()
            .user
        )

    admin = member(Role.ADMIN)
    sponsored = Program.objects.filter(practice=practice).exclude(sponsor=None).order_by("pk")[0]
    sponsor = sponsored.sponsor
    program = (  # a program under way: sessions held and sessions to come
        Program.objects.filter(practice=practice, sessions__status=Session.Status.SCHEDULED)
        .filter(sessions__status=Session.Status.HELD)
        .order_by("pk")
        .distinct()[0]
    )
    client = program.client
    coach = program.coach
    upcoming = program.sessions.filter(status=Session.Status.SCHEDULED).order_by("starts_at")
    held = program.sessions.filter(status=Session.Status.HELD).order_by("-starts_at")
    next_session = upcoming.first() or held.first()
    last_held = held.first() or next_session
    token = calendar_feed_regenerate(user=client)
    coach_token = calendar_feed_regenerate(user=coach)
    later = later_pages(practice, admin, coach, client, sponsor, program)
    prepare_export(client, practice)
    h = {u.pk: sign_in(u) for u in later.users}
    p = {"slug": practice.slug, "code": program.code}
    month_day = (last_held.starts_at).date().isoformat()
    return [
        ("F0 signed-in constant", h[client.pk], "/bench/f0/"),
        ("F1 + one indexed query", h[client.pk], "/bench/f1/"),
        ("F2 F1 in base.html", h[client.pk], "/bench/f2/"),
        ("admin dashboard", h[admin.pk], reverse("dashboard_admin", kwargs=slug)),
        ("pipeline", h[admin.pk], reverse("proposal_list", kwargs=slug)),
        (
            "pipeline, programs stage",
            h[admin.pk],
            reverse("proposal_list", kwargs=slug) + "?stage=programs",
        ),
        (
            "schedule (week)",
            h[admin.pk],
            reverse("schedule_overview", kwargs=slug) + f"?day={month_day}",
        ),
        (
            "schedule (month)",
            h[admin.pk],
            reverse("schedule_overview", kwargs=slug) + f"?view=month&day={month_day}",
        ),
        ("members", h[admin.pk], reverse("member_list", kwargs=slug)),
        ("reminders", h[admin.pk], reverse("practice_reminders", kwargs=slug)),
        ("coach dashboard", h[coach.pk], reverse("dashboard_coach", kwargs=slug)),
        ("coach's program page", h[coach.pk], reverse("coach_program", kwargs=p)),
        ("program page (coach)", h[coach.pk], reverse("program_detail", kwargs=p)),
        (
            "session preparation (coach)",
            h[coach.pk],
            reverse("session_prepare", kwargs={"slug": practice.slug, "code": next_session.code}),
        ),
        (
            "session page (coach)",
            h[coach.pk],
            reverse("session_run", kwargs={"slug": practice.slug, "code": last_held.code}),
        ),
        ("client dashboard", h[client.pk], reverse("dashboard_client", kwargs=slug)),
        ("client sessions", h[client.pk], reverse("client_coaching", kwargs=slug)),
        (
            "client progress reports",
            h[client.pk],
            reverse("progress_report_list_mine", kwargs=slug),
        ),
        ("who read my records", h[client.pk], reverse("access_log_mine", kwargs=slug)),
        ("sponsor dashboard", h[sponsor.pk], reverse("dashboard_sponsor", kwargs=slug)),
        (
            "sponsor program page",
            h[sponsor.pk],
            reverse("sponsor_program", kwargs={"slug": practice.slug, "code": sponsored.code}),
        ),
        ("notifications", h[client.pk], reverse("notification_inbox")),
        ("ICS feed (client)", {}, reverse("calendar_feed", kwargs={"token": token})),
        ("ICS feed (coach)", {}, reverse("calendar_feed", kwargs={"token": coach_token})),
        ("ICF hours export (coach)", h[coach.pk], reverse("icf_hours_export", kwargs=slug)),
        # The download of the export prepared above (#11: a worker builds it, encrypted), and
        # the my-data page, which shows it to print.
        ("client's data export", h[client.pk], reverse("data_export_json", kwargs=slug)),
        (
            "client's data export, my-data page",
            h[client.pk],
            reverse("data_export_page", kwargs=slug),
        ),
    ] + [(label, h[user.pk], path) for label, user, path in later.pages], client


def prepare_export(client, practice):
    """The client's data export, prepared before the timed requests as the worker would
    (ethics.prepared_exports): the bench times its download, not its preparation. Asked for
    afresh on every run (a --reuse run finds the earlier one expired or outdated)."""
    from ethics.access import client_access
    from ethics.models import PreparedExport
    from ethics.prepared_exports import data_export_build, data_export_request

    PreparedExport.objects.filter(practice=practice, client=client).delete()
    export = data_export_request(access=client_access(client, practice))
    started = time.perf_counter()
    outcome = data_export_build(export.pk)
    if outcome != "prepared":
        raise SystemExit(f"the client's data export was not prepared: {outcome}")
    size = PreparedExport.objects.filter(pk=export.pk).values_list("size", flat=True).get()
    print(
        f"client's data export prepared in {time.perf_counter() - started:.2f} s ({size} bytes)",
        flush=True,
    )


class later_pages:  # noqa: N801 - a record built by a function
    """(label, user, path) of the pages later issues added (billing, messages, questionnaires
    and their answers, 360, assessments, session templates, supervision, credentials, coach
    profile, chemistry, reschedule requests), as the role that uses them, in the largest
    practice; `users` are the people to sign in."""

    def __init__(self, practice, admin, coach, client, sponsor, program):
        from django.urls import reverse

        from billing.models import Invoice
        from intake.models import Questionnaire, RaterRound, Response
        from programs.models import Program
        from sessions.models import Session

        slug = practice.slug

        def url(name, **kwargs):
            return reverse(name, kwargs={"slug": slug, **kwargs})

        # A client who pays their own invoices, with 360 feedback, in a program under way.
        rated = (
            Program.objects.filter(
                practice=practice,
                sponsor=None,
                pk__in=RaterRound.objects.values("program_id"),
                sessions__status=Session.Status.SCHEDULED,
            )
            .order_by("pk")
            .distinct()[0]
        )
        payer = rated.client
        sponsor_invoice = (
            Invoice.objects.filter(practice=practice, bill_to=sponsor).order_by("pk").first()
        )
        admin_invoice = (
            Invoice.objects.filter(practice=practice, status=Invoice.Status.PARTLY_PAID)
            .order_by("pk")
            .first()
        ) or Invoice.objects.filter(practice=practice).order_by("pk").first()
        client_invoice = Invoice.objects.filter(practice=practice, bill_to=payer).order_by("pk")[0]
        intake = Response.objects.filter(client=payer, kind="intake").order_by("pk")[0]
        feedback = Response.objects.filter(
            program__coach=coach, kind="feedback", submitted_at__isnull=False
        ).order_by("-pk")[0]
        questionnaire = Questionnaire.objects.filter(practice=practice).order_by("pk")[0]
        contract = program.contract
        self.users = [admin, coach, client, sponsor, payer, rated.coach]
        self.pages = [
            ("invoices (admin)", admin, url("invoice_list")),
            ("invoices, overdue (admin)", admin, url("invoice_list") + "?status=overdue"),
            ("invoice page (admin)", admin, url("invoice_detail", code=admin_invoice.code)),
            ("billing reports", admin, url("billing_report")),
            ("contract payment schedule", admin, url("contract_billing", code=contract.code)),
            ("contract page, chemistry (admin)", admin, url("contract_detail", code=contract.code)),
            ("questionnaires", admin, url("questionnaire_list")),
            ("questionnaire page", admin, url("questionnaire_detail", code=questionnaire.code)),
            ("reschedule requests", admin, url("reschedule_request_list")),
            ("session templates (admin)", admin, url("session_template_list")),
            ("messages inbox (coach)", coach, url("message_index")),
            ("message thread (coach)", coach, url("message_thread", code=program.code)),
            ("questionnaire answers (coach)", coach, url("response_list")),
            ("session feedback (coach)", coach, url("response_detail", code=feedback.code)),
            ("assessments (coach)", rated.coach, url("assessments", code=rated.code)),
            ("360 feedback (coach)", rated.coach, url("feedback360", code=rated.code)),
            ("session templates (coach)", coach, url("session_template_list")),
            ("supervision log", coach, url("supervision_list")),
            ("credentials", coach, url("credential_tracker")),
            ("coach profile", coach, url("coach_profile_edit")),
            ("coach's programs (list)", coach, url("coach_program_list")),
            ("messages inbox (client)", client, url("message_index")),
            ("message thread (client)", client, url("message_thread", code=program.code)),
            ("questionnaires (client)", payer, url("response_list")),
            ("intake answers (client)", payer, url("response_detail", code=intake.code)),
            ("assessments (client)", payer, url("assessments", code=rated.code)),
            ("360 feedback (client)", payer, url("feedback360", code=rated.code)),
            ("invoices (client)", payer, url("invoice_list")),
            ("invoice page (client)", payer, url("invoice_detail", code=client_invoice.code)),
            ("invoices (sponsor)", sponsor, url("invoice_list")),
        ]
        if sponsor_invoice is not None:
            self.pages.append(
                (
                    "invoice page (sponsor)",
                    sponsor,
                    url("invoice_detail", code=sponsor_invoice.code),
                )
            )


def access_rows_per_view(port, headers, path, client):
    """Access-log rows one client dashboard view writes."""
    from ethics.models import AccessEvent

    before = AccessEvent.objects.count()
    status, _ms, _q, _lat = request(port, headers, path)
    assert status == 200, status
    return AccessEvent.objects.count() - before


def request(port, headers, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    conn.request(
        "GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **headers}
    )
    response = conn.getresponse()
    response.read()
    latency = (time.perf_counter() - start) * 1000
    conn.close()
    return (
        response.status,
        float(response.getheader("X-Bench-Ms", "nan")),
        int(response.getheader("X-Bench-Queries", "-1")),
        latency,
    )


def start_gunicorn(port, workers, log):
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "coaching.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "300",
    ]
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        command, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
    )
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit("gunicorn did not start; see its log") from None
            time.sleep(0.1)
    raise SystemExit("gunicorn did not answer")


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * len(values) + 0.5) - 1))]


def run(port, page_list, rounds, concurrency, workers):
    jobs = []
    rng = random.Random(11)
    for _ in range(rounds):
        order = list(page_list)
        rng.shuffle(order)
        jobs += order
    results = {label: [] for label, _h, _p in page_list}
    lock = threading.Lock()

    def one(job):
        label, headers, path = job
        outcome = request(port, headers, path)
        with lock:
            results[label].append(outcome)

    for label, headers, path in page_list:
        status = request(port, headers, path)[0]
        if status != 200:
            raise SystemExit(f"{label} ({path}) answered {status}")
    # Warm every worker, not only the one that answered above: each gunicorn worker compiles
    # a page's templates and fills its caches on its own first request of that page, which at
    # 10 requests a page showed as p95s of 300 to 1,800 ms on otherwise 50 ms pages. Twice the
    # workers' number of unmeasured requests a page, at the run's concurrency, reach them all
    # in practice; the table measures the steady state that follows.
    warm = [job for job in page_list for _ in range(2 * workers)]
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda job: request(port, job[1], job[2]), warm))
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, jobs))
    return results


def query_counts(counts):
    """The queries column: the count most requests made, then any other with the number of
    requests that made it, e.g. "11 (12 on 3 of 40)". A page that logs reads makes one query
    more on a worker's first read of an item in the access log's ten-minute window (its
    INSERT; ethics/README.md), and a worker's first logged read of a kind of item looks up its
    content type: those show in brackets, the usual count stays comparable between scales."""
    seen = {}
    for count in counts:
        seen[count] = seen.get(count, 0) + 1
    usual = max(seen, key=lambda count: (seen[count], -count))  # a tie: the smaller count
    others = [f"{count} on {seen[count]}" for count in sorted(seen) if count != usual]
    return f"{usual} ({', '.join(others)} of {len(counts)})" if others else str(usual)


def table(results, page_list):
    rows = []
    f2 = results["F2 F1 in base.html"]
    f2_med = statistics.median(r[1] for r in f2)
    f2_p95 = percentile([r[1] for r in f2], 0.95)
    header = (
        "| page | queries | server median ms | p95 | p99 | client median ms | client p95 "
        "| median / F2 | p95 / F2 |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    for label, _h, _p in page_list:
        outcomes = results[label]
        bad = [r[0] for r in outcomes if r[0] != 200]
        server = [r[1] for r in outcomes]
        client = [r[3] for r in outcomes]
        med, p95 = statistics.median(server), percentile(server, 0.95)
        rows.append(
            f"| {label}{' (errors: ' + str(len(bad)) + ')' if bad else ''} "
            f"| {query_counts([r[2] for r in outcomes])} | {med:.1f} | {p95:.1f} "
            f"| {percentile(server, 0.99):.1f} | {statistics.median(client):.1f} "
            f"| {percentile(client, 0.95):.1f} | {med / f2_med:.1f} | {p95 / f2_p95:.1f} |"
        )
    return header + "\n" + "\n".join(rows)


def machine():
    cpus = os.cpu_count()
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()} ({model}, {cpus} cores, Python {platform.python_version()})"


def _stop(signum, frame):
    raise SystemExit(128 + signum)  # so that `finally` stops gunicorn and drops the database


def main(argv=None):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)
    url = server_url()
    admin = admin_connection(url)
    if args.reuse:
        name = args.reuse
        args.scale = marked_scale(admin, name)  # refuses a database without the bench's mark
        args.keep = True  # what was kept stays kept
    else:
        name = f"bench_{os.getpid()}_{int(time.time())}"
        admin.execute(f'CREATE DATABASE "{name}"')  # fails if the name exists
        mark(admin, name)
    static_root = tempfile.mkdtemp(prefix="bench-var-")
    gunicorn = None
    log = open(Path(static_root) / "gunicorn.log", "wb")  # noqa: SIM115
    try:
        prepare_environment(with_database(url, name), static_root, name)
        started = time.perf_counter()
        load(args.scale, data=not args.reuse)
        if args.reuse:
            print(f"reused database {name} (scale {args.scale}), migrated")
        else:
            mark(admin, name, args.scale)
            print(f"loaded in {time.perf_counter() - started:.0f} s; database {name}")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cursor.fetchone()[0]
        page_list, client = pages()
        connection.close()
        port = free_port()
        gunicorn = start_gunicorn(port, args.workers, log)
        dashboard = next(p for p in page_list if p[0] == "client dashboard")
        request(port, dashboard[1], dashboard[2])  # first view: lazily created rows
        access_rows = access_rows_per_view(port, dashboard[1], dashboard[2], client)
        started = time.perf_counter()
        results = run(port, page_list, args.rounds, args.concurrency, args.workers)
        took = time.perf_counter() - started
        body = table(results, page_list)
        label = f" {args.label}" if args.label else ""
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        section = (
            f"\n## Scale {args.scale}{label}: {when}\n\n"
            f"Machine: {machine()}; PostgreSQL database of {size}; gunicorn {args.workers} "
            f"sync workers, production settings; {args.rounds} requests per page, interleaved, "
            f"concurrency {args.concurrency}; {took:.0f} s. Access-log rows written by one client "
            f"dashboard view: {access_rows}.\n\n{body}\n"
        )
        print(section)
        if args.out != "-":
            out = Path(args.out)
            if not out.exists():
                out.write_text("# Benchmarks\n\nWritten by `make bench` (scripts/bench.py).\n")
            with out.open("a") as f:
                f.write(section)
            print(f"appended to {out}")
        return results
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=30)
        log.close()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110
            pass
        shutil.rmtree(static_root, ignore_errors=True)
        if not args.keep:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            print(f"kept database {name} (run again with --reuse {name})")
        admin.close()


if __name__ == "__main__":
    main()
