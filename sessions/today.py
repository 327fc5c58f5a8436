"""The first panel of each dashboard: what needs doing today (sessions.workspace reads it).

Listed first in settings.DASHBOARD_PANEL_MODULES, so it stands above the rest of the page.
The client's "today" is the sessions panel itself (next session, tasks, latest summary)."""

from coaching.access import Role
from programs import access as reach

from . import workspace

TEMPLATE = "coaching_sessions/_today_{}.html"


def counts_wanted(access, role):
    """The admin's number of contracts in chemistry, read with the other panels' counts
    (coaching.dashboards): with none, the list of them is not asked for."""
    if role != Role.ADMIN:
        return {}
    return {"chemistry": reach.contracts_in_chemistry(access)}


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
