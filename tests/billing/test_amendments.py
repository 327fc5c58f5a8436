"""An amendment's payment schedule: copies, edits, and no instalment invoiced twice."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from billing.models import Invoice
from programs import services as programs
from sessions import services as session_services

from .builders import accept_all, scheduled_contract
from .test_services import _program

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")


def _amend(world, contract, **terms):
    return programs.contract_change_terms(
        contract=contract, actor=world.admin, reason="Two more sessions", **terms
    )


def test_an_instalment_invoiced_while_an_amendment_waits_is_not_invoiced_again(world):
    contract = scheduled_contract(world)
    program = _program(world, contract, sessions=3)
    # The amendment carries the schedule as it is: its session-3 instalment is a copy.
    _amend(world, contract, sessions_count=8)
    with time_machine.travel(datetime(2027, 3, 1, 12, 0, tzinfo=JAKARTA)):
        for session in program.sessions.order_by("number"):
            session_services.session_mark_held(session=session, actor=world.coach)
        assert contract.invoices.count() == 2  # under version 1, in force
        accept_all(world, contract)
    assert contract.invoices.count() == 2  # version 2's copy was marked invoiced with it


def test_an_edited_row_keeps_its_lineage_on_the_terms_page(world, client_for):
    contract = scheduled_contract(world)
    version = contract.current_version
    session_row = version.instalments.get(trigger="session")
    client = client_for(world.admin)
    url = reverse("contract_edit", args=[world.practice.slug, contract.code])
    page = client.get(url).content.decode()
    assert f'value="{session_row.code}"' in page  # the row names the instalment it edits
    assert "Already invoiced: Rp 7,500,000, at signature" in page
    response = client.post(
        url,
        {
            "starts_on": version.starts_on.isoformat(),
            "ends_on": version.ends_on.isoformat(),
            "sessions_count": 8,
            "session_minutes": 60,
            "cadence": "monthly",
            "price_minor": "Rp 15.000.000",
            "currency": "IDR",
            "cancellation_notice_hours": 24,
            "late_cancellation_uses_session": "on",
            "change_reason": "Two more sessions",
            "instalments-TOTAL_FORMS": 2,
            "instalments-INITIAL_FORMS": 1,
            "instalments-0-code": str(session_row.code),
            "instalments-0-percent": "50",
            "instalments-0-trigger": "session",
            "instalments-0-after_session": "4",
        },
    )
    assert response.status_code == 302
    new = contract.current_version
    assert new.number == 2
    rows = [(i.trigger, i.after_session, i.carried_from_id) for i in new.instalments.all()]
    assert rows == [
        ("signature", None, version.instalments.get(trigger="signature").pk),
        ("session", 4, session_row.pk),
    ]
    assert Invoice.objects.count() == 1
