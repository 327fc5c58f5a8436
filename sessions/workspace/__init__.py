"""What needs doing today, per role: the first panel of each dashboard (sessions.today); one
module per role (admin, coach, sponsor) and what their rows share (common).

Reads that take the reader. Logistics (sessions, programs, proposals, contracts, reminders)
come through the reach of programs.access; coaching content (tasks, the latest check-out)
only through the gate (ethics.access), so admins and sponsors get none. A fixed number of
queries whatever the size of the practice: lists are cut at LIMIT rows and counted apart.
"""

from .admin import admin_today
from .coach import COACH_LISTS, coach_today, coach_upcoming
from .common import LIMIT, local_day
from .sponsor import sponsor_today

__all__ = [
    "COACH_LISTS",
    "LIMIT",
    "admin_today",
    "coach_today",
    "coach_upcoming",
    "local_day",
    "sponsor_today",
]
