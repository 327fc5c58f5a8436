"""Invoice numbers under concurrency (issue #15): on PostgreSQL, 50 invoices issued at once
from several threads, each on its own connection, get 50 distinct numbers 1..50 with no gap.
SQLite serialises writers, so only PostgreSQL can show the lock on the counter row working."""

import threading

from django.db import connection

from billing import services as billing
from billing.models import Invoice, InvoiceCounter
from tests.billing.builders import scheduled_contract

THREADS = 10
INVOICES = 50


def test_fifty_invoices_issued_at_once_get_fifty_gapless_numbers(services, world):
    contract = scheduled_contract(world, accept=False)
    drafts = [
        billing.invoice_draft_other(
            contract=contract, description="Workshop day", amount_minor=1_000_000, actor=world.admin
        )
        for _ in range(INVOICES)
    ]
    barrier = threading.Barrier(THREADS)
    errors = []

    def issue(mine):
        try:
            barrier.wait()
            for draft in mine:
                billing.invoice_issue(invoice=draft, actor=world.admin)
        except Exception as exc:  # noqa: BLE001 - the assertion below reports every failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(drafts[i::THREADS],)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    numbers = sorted(
        Invoice.objects.filter(practice=world.practice).values_list("number", flat=True)
    )
    assert numbers == list(range(1, INVOICES + 1))
    assert InvoiceCounter.objects.get(practice=world.practice).last_number == INVOICES
    assert set(Invoice.objects.values_list("status", flat=True)) == {"issued"}
