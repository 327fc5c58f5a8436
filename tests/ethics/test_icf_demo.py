"""The ICF client-hours CSV of the demo data, against an expectation computed by hand from
the demo's definition (programs/demo.py, sessions/demo.py).

Frozen at 2026-11-23 12:00 in Jakarta (05:00 UTC), so "today" is the same date in UTC (the
sessions step) and in Jakarta (the programs step). T = 2026-11-23.

programs.demo (runs first), every session 90 minutes (its proposals say session_minutes=90),
so 3 held sessions are 4.50 hours:
- andi (active, coach Rina): starts_on T-60, first session T-50, 6 sessions 21 days apart:
  T-50, T-29, T-8 held (past), T+13 ... scheduled.
- siti (paused, coach Budi): the same series: T-50, T-29, T-8 held.
- rudi (graduated, coach Rina): starts_on T-120, first T-110, 3 sessions 28 days apart:
  T-110, T-82, T-54, all held.
- dian (active, coach Rina): the third of 6 sessions 21 days apart is two hours from the
  build (14:00), so T-42 and T-21 are held (3.00 hours).
- rizky (active, coach Rina): first T-43, 21 days apart: T-43, T-22, T-1 held.
- nina (active, coach Ayu): first T-30, 14 days apart: T-30, T-16, T-2 held.
- agus (active, coach Budi): first T-75, 4 sessions 28 days apart: T-75, T-47, T-19 held.
sessions.demo fills held sessions; it creates no program (yoga has only a draft proposal, so
no program: none without an accepted contract).
No program is pro bono.

Rows per coach, ordered by the client's first session; dates in the practice's time zone.
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from coaching.accounts.models import User

T = date(2026, 11, 23)
HEADER = "Client,Individual/Group,Group size,Start date,End date,Paid hours,Pro bono hours"


def _d(days):
    return (T + timedelta(days=days)).isoformat()


EXPECTED = {
    "coach.rina@cahaya.example": [
        f"Rudi Hartono,Individual,1,{_d(-110)},{_d(-54)},4.50,0.00",
        f"Andi Saputra,Individual,1,{_d(-50)},{_d(-8)},4.50,0.00",
        f"Rizky Ramadhan,Individual,1,{_d(-43)},{_d(-1)},4.50,0.00",
        f"Dian Anggraini,Individual,1,{_d(-42)},{_d(-21)},3.00,0.00",
    ],
    "coach.budi@cahaya.example": [
        f"Agus Setiawan,Individual,1,{_d(-75)},{_d(-19)},4.50,0.00",
        f"Siti Rahmawati,Individual,1,{_d(-50)},{_d(-8)},4.50,0.00",
    ],
    "coach.ayu@cahaya.example": [
        f"Nina Marlina,Individual,1,{_d(-30)},{_d(-2)},4.50,0.00",
    ],
}


@pytest.mark.django_db
@time_machine.travel("2026-11-23 05:00:00+00:00", tick=False)
@pytest.mark.parametrize("coach_email", sorted(EXPECTED))
def test_icf_csv_of_the_demo_matches_the_hand_computed_log(coach_email, client_for, settings):
    call_command("demo", verbosity=0)
    coach = User.objects.get(email=coach_email)
    browser = client_for(coach)
    url = reverse("icf_hours_export", args=["cahaya"])

    lines = browser.get(url).content.decode().splitlines()
    assert lines == [HEADER, *EXPECTED[coach_email]]

    anonymous = browser.get(url + "?anonymise=1").content.decode().splitlines()
    assert anonymous == [
        HEADER,
        *[f"Client {n}," + row.split(",", 1)[1] for n, row in enumerate(EXPECTED[coach_email], 1)],
    ]


@pytest.mark.django_db
def test_the_demo_sponsor_reads_the_approved_report_twice_run_once(client_for):
    from ethics.models import ProgressReport

    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)
    report = ProgressReport.objects.get()
    sponsor = User.objects.get(email="hendra.gunawan@nusantara-energi.example")
    page = client_for(sponsor).get(reverse("sponsor_program", args=["cahaya", report.program.code]))
    assert report.text in page.content.decode()
