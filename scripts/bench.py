"""`make bench`: median and p95 latency of each main page, next to a trivial view, measured in
the same run on the same stack, with a large practice loaded.

It creates a throw-away test database (PostgreSQL when DATABASE_URL points at one, as in CI;
SQLite otherwise), fills it, times every page with Django's test client (the whole middleware
stack, no network), and prints a table. Nothing is asserted: numbers are for reading and
comparing between commits; tests stay deterministic.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coaching.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from coaching.accounts.models import Membership, Practice, User  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "400"))
Role = Membership.Role


def load_large_practice():
    practice = Practice.objects.create(name="Bench practice", slug="bench")
    users = User.objects.bulk_create(
        [User(email=f"person{i}@bench.test", full_name=f"Person {i}") for i in range(CLIENTS + 12)]
    )
    admin, coaches, clients = users[0], users[1:11], users[11:]
    rows = [Membership(practice=practice, user=admin, role=Role.ADMIN)]
    rows += [Membership(practice=practice, user=u, role=Role.COACH) for u in coaches]
    rows += [Membership(practice=practice, user=u, role=Role.CLIENT) for u in clients]
    Membership.objects.bulk_create(rows)
    for step in BENCH_DATA_STEPS:
        step(practice=practice, admin=admin, coaches=coaches, clients=clients)
    return practice, admin, coaches, clients


# Apps add data steps and pages as they grow: (label, persona, url name, kwargs).
BENCH_DATA_STEPS = []


def pages(practice, admin, coaches, clients):
    slug = {"slug": practice.slug}
    return [
        ("trivial view (healthz, signed in)", admin, reverse("healthz")),
        ("admin dashboard", admin, reverse("dashboard_admin", kwargs=slug)),
        ("member list", admin, reverse("member_list", kwargs=slug)),
        ("coach dashboard", coaches[0], reverse("dashboard_coach", kwargs=slug)),
        ("client dashboard", clients[0], reverse("dashboard_client", kwargs=slug)),
    ]


def measure(client, url):
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        practice, admin, coaches, clients = load_large_practice()
        print(f"database: {connection.vendor}; {CLIENTS} clients; {ROUNDS} requests per page")
        print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'x trivial':>10}")
        baseline = None
        for label, user, url in pages(practice, admin, coaches, clients):
            client = Client()
            if user is not None:
                client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            client.get(url)  # warm caches and the connection
            median, p95 = measure(client, url)
            baseline = baseline or median
            print(f"{label:32} {median:10.1f} {p95:8.1f} {median / baseline:10.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
