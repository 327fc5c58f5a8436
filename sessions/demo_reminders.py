"""`manage.py demo` step (settings.DEMO_EXTENSIONS): reminders for the demo's upcoming sessions.

Idempotent: the scan creates each reminder once, whatever the number of runs.
"""

from .reminders import session_upcoming_scan


def demo(*, practice, people):
    session_upcoming_scan()
