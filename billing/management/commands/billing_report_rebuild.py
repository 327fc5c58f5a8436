"""manage.py billing_report_rebuild [--practice SLUG]: the billing report's days and coach
months (billing.models.ReportDay, ReportCoachMonth) rebuilt from the invoices, payments and
programs, after a write that bypassed billing.services (a bulk load, a fix by hand)."""

from django.core.management.base import BaseCommand, CommandError

from billing.services import report_days_rebuild
from coaching.accounts.models import Practice


class Command(BaseCommand):
    help = "Rebuild the billing report's totals by day and by coach and month."

    def add_arguments(self, parser):
        parser.add_argument("--practice", help="the practice's slug (default: every practice)")

    def handle(self, *args, practice=None, **options):
        found = None
        if practice:
            found = Practice.objects.filter(slug=practice).first()
            if found is None:
                raise CommandError(f"No practice {practice!r}.")
        rows = report_days_rebuild(found)
        self.stdout.write(f"{rows} days rebuilt.")
