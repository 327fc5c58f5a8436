"""The first panel of each dashboard: what needs doing today (sessions.workspace reads it).

Listed first in settings.DASHBOARD_PANEL_MODULES, so it stands above the rest of the page.
The client's "today" is the sessions panel itself (next session, tasks, latest summary)."""

from coaching.access import Role

from . import workspace

TEMPLATE = "coaching_sessions/_today_{}.html"


# The pipeline panel (programs.dashboard) counts the contracts in chemistry with the other
# counts (coaching.dashboards); the admin's list of them is asked for only when there are some.
COUNTS_READ = {"chemistry": "programs.dashboard:chemistry"}


def panels(access, role, counts=None):
    if role == Role.ADMIN:
        data = workspace.admin_today(access=access, in_chemistry=(counts or {}).get("chemistry"))
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
