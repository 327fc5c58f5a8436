"""The first panel of each dashboard: what needs doing today (sessions.workspace reads it).

Listed first in settings.DASHBOARD_PANEL_MODULES, so it stands above the rest of the page.
The client's "today" is the sessions panel itself (next session, tasks, latest summary)."""

from coaching.access import Role

from . import workspace

TEMPLATE = "coaching_sessions/_today_{}.html"


# The other panels count, with the other counts (coaching.dashboards), the proposals and
# contracts sent, the contracts in chemistry and the failed reminders; the admin's list of
# each is asked for only when there are some (#11: a query each on most days, for none).
COUNTS_READ = {
    "proposals_sent": "programs.dashboard:sent",
    "contracts_sent": "programs.dashboard:contract_sent",
    "chemistry": "programs.dashboard:chemistry",
    "failed": "coaching.notifications.dashboard:failed",
}


def panels(access, role, counts=None):
    if role == Role.ADMIN:
        data = workspace.admin_today(access=access, counted=counts or {})
        return [{"template": TEMPLATE.format("admin"), **data}]
    if role == Role.COACH:
        data = workspace.coach_today(access=access)
        # Nothing to do yet (a new coach): a side note, so the page still says what comes next.
        idle = not any(rows for rows, _more in (data[k] for k in workspace.COACH_LISTS))
        return [{"template": TEMPLATE.format("coach"), "aside": idle, **data}]
    if role == Role.SPONSOR:
        data = workspace.sponsor_today(access=access)
        if not data["programs"]:
            return []
        return [{"template": TEMPLATE.format("sponsor"), **data}]
    return []
