"""Builds a realistic Indonesian demo practice. Idempotent: a second run changes nothing."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string

from coaching.accounts.models import Membership, Practice, User

DEMO_PASSWORD = "coaching-demo-2026"  # noqa: S105 - published demo login
PRACTICE = {"slug": "cahaya", "name": "Cahaya Coaching Institute"}
Role = Membership.Role
PEOPLE = [
    ("admin@cahaya.example", "Dewi Lestari", [Role.ADMIN], ""),
    # The seed's support staff: schedules and follows the pipeline, reads no coaching content.
    ("jadwal@cahaya.example", "Sari Andriani", [Role.SCHEDULER], ""),
    ("coach.rina@cahaya.example", "Rina Wijaya", [Role.COACH], ""),
    ("coach.budi@cahaya.example", "Budi Santoso", [Role.COACH], ""),
    ("coach.ayu@cahaya.example", "Ayu Pratiwi", [Role.COACH], ""),
    ("andi.saputra@nusantara-energi.example", "Andi Saputra", [Role.CLIENT], "PT Nusantara Energi"),
    ("siti.rahma@nusantara-energi.example", "Siti Rahmawati", [Role.CLIENT], "PT Nusantara Energi"),
    ("yoga.pratama@example.id", "Yoga Pratama", [Role.CLIENT], ""),
    ("maya.kusuma@example.id", "Maya Kusumawati", [Role.CLIENT], ""),
    ("rudi.hartono@bank-mandala.example", "Rudi Hartono", [Role.CLIENT], "Bank Mandala"),
    ("intan.permata@example.id", "Intan Permatasari", [Role.CLIENT], ""),
    ("fajar.nugroho@example.id", "Fajar Nugroho", [Role.CLIENT], ""),
    ("lestari.wulandari@example.id", "Lestari Wulandari", [Role.CLIENT], ""),
    ("dian.anggraini@example.id", "Dian Anggraini", [Role.CLIENT], ""),
    ("rizky.ramadhan@example.id", "Rizky Ramadhan", [Role.CLIENT], ""),
    ("nina.marlina@example.id", "Nina Marlina", [Role.CLIENT], ""),
    ("agus.setiawan@example.id", "Agus Setiawan", [Role.CLIENT], ""),
    (
        "hendra.gunawan@nusantara-energi.example",
        "Hendra Gunawan",
        [Role.SPONSOR],
        "PT Nusantara Energi",
    ),
]


class Command(BaseCommand):
    help = "Create (or complete) the demo practice and print its logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            practice, _ = Practice.objects.get_or_create(
                slug=PRACTICE["slug"],
                defaults={
                    "name": PRACTICE["name"],
                    "timezone": "Asia/Jakarta",
                    "currency": "IDR",
                    "default_language": "id",
                    # The letterhead of its PDFs (contract, certificate, invoice).
                    "address": "Jl. Jend. Sudirman Kav. 52-53\nJakarta Selatan 12190",
                },
            )
            people = {}
            for email, name, roles, organisation in PEOPLE:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User.objects.create_user(
                        email=email, password=DEMO_PASSWORD, full_name=name
                    )
                EmailAddress.objects.get_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )
                for role in roles:
                    Membership.objects.get_or_create(
                        practice=practice,
                        user=user,
                        role=role,
                        defaults={"organisation": organisation},
                    )
                people[email] = user
            # Later apps add their own stages (programs, sessions, ...) in settings, in order,
            # in the practice's language: what the demo stores as the people would have seen
            # it (the consent texts they agreed to) is in Indonesian.
            with translation.override(practice.default_language):
                for path in getattr(settings, "DEMO_EXTENSIONS", []):
                    import_string(path)(practice=practice, people=people)

        self.stdout.write(
            self.style.SUCCESS(f"Demo practice: {practice.name} (/p/{practice.slug}/)")
        )
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        for email, name, roles, _org in PEOPLE:
            self.stdout.write(f"  {', '.join(roles):8}  {email:42}  {name}")
