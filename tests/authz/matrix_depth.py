"""Matrix rows of the lifecycle's depth (#13): the scheduler's dashboard, reschedule requests."""

from tests.authz.spec import Entry, only, practice

ENTRIES = [
    Entry("dashboard_scheduler", only(["scheduler"]), kwargs=practice),
]
