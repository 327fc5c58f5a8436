"""Dashboard panels of sessions: the client's next session and tasks, the coach's sessions."""

from coaching.access import Role
from programs.selectors import coach_programs

from . import selectors, workspace


def panels(access, role):
    if role == Role.CLIENT:
        # The panel's own selector: it reads (and logs) what the panel shows, no more.
        programs = selectors.client_panel(access=access)
        if not programs:
            return []
        for item in programs:
            session = item["latest_held"]
            check_out = session.visible_check_out if session else None  # read with it
            item["latest"] = {"session": session, "check_out": check_out} if check_out else None
        return [{"template": "coaching_sessions/_panel_client.html", "programs": programs}]
    if role == Role.COACH:
        # The coach's programs are listed once, in the programs panel (#11: they were twice).
        if not coach_programs(access=access):
            return []
        upcoming = workspace.coach_upcoming(access)
        return [{"template": "coaching_sessions/_panel_coach.html", "upcoming": upcoming}]
    return []
