"""`make screenshots`: PNGs of the main pages for each role, from the demo data.

Builds the demo in its own SQLite database (var/screenshots.sqlite3, so the development
database is untouched), runs the development server, signs in as each demo persona with
Playwright on the system Chromium (/usr/bin/chromium; never `playwright install`) and saves
docs/screenshots/<role>-<page>-<language>.png, in Indonesian and in English (each demo
person's profile language is set before their pages are taken).
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "coaching-demo-2026"  # noqa: S105 - the published demo password

os.environ["DJANGO_SETTINGS_MODULE"] = "coaching.settings.dev"
DATABASE = ROOT / "var" / "screenshots.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
sys.path.insert(0, str(ROOT))


def build_demo():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # on a fresh database: the same demo every time
    call_command("demo", verbosity=0)
    if "sessions.demo.build" not in settings.DEMO_EXTENSIONS:
        from coaching.accounts.models import Practice, User
        from sessions.demo import build

        build(
            practice=Practice.objects.get(slug="cahaya"),
            people={u.email: u for u in User.objects.all()},
        )


LANGUAGES = ["id", "en"]


def set_language(language):
    """Every demo person reads the pages in `language` (their profile's choice wins)."""
    from coaching.accounts.models import User

    User.objects.update(language=language)


def demo_urls():
    """(role, email, [(name, path)]) for each persona. Reads logistics only (codes)."""
    from coaching.accounts.models import Practice
    from sessions.models import Session

    practice = Practice.objects.get(slug="cahaya")
    # Screenshots of staff pages must not stop at the MFA set-up page.
    Practice.objects.filter(pk=practice.pk).update(require_mfa_for_staff=False)
    slug = practice.slug
    coach = "coach.rina@cahaya.example"
    sessions = Session.objects.filter(program__practice=practice, coach__email=coach)
    held = sessions.filter(status=Session.Status.HELD).order_by("-starts_at").first()
    upcoming = sessions.filter(status=Session.Status.SCHEDULED).order_by("starts_at").first()
    coach_pages = [("dashboard", f"/p/{slug}/coach/")]
    if upcoming:
        coach_pages.append(("prepare", f"/p/{slug}/sessions/{upcoming.code}/prepare/"))
        coach_pages.append(("client", f"/p/{slug}/coaching/programs/{upcoming.program.code}/"))
    if held:
        coach_pages.append(("session", f"/p/{slug}/sessions/{held.code}/run/"))
    return [
        ("admin", "admin@cahaya.example", [("dashboard", f"/p/{slug}/admin/")]),
        ("coach", coach, coach_pages),
        (
            "client",
            "andi.saputra@nusantara-energi.example",
            [("dashboard", f"/p/{slug}/client/"), ("sessions", f"/p/{slug}/my-sessions/")],
        ),
        (
            "sponsor",
            "hendra.gunawan@nusantara-energi.example",
            [("dashboard", f"/p/{slug}/sponsor/")],
        ),
    ]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def shoot(base, personas, language):
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for role, email, pages in personas:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=language)
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=login]", email)
            page.fill("input[name=password]", PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_load_state("networkidle")
            for name, path in pages:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                target = OUT / f"{role}-{name}-{language}.png"
                page.screenshot(path=str(target), full_page=True)
                print(f"  {target.relative_to(ROOT)}")
            context.close()
        browser.close()


def main():
    DATABASE.unlink(missing_ok=True)
    build_demo()
    personas = demo_urls()
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/healthz/")
        for language in LANGUAGES:
            set_language(language)
            shoot(base, personas, language)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
