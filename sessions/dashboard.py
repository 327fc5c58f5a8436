"""Dashboard panels of sessions: the client's next session and tasks, the coach's sessions."""

from coaching.access import Role

from . import selectors, workspace


def panels(access, role):
    if role == Role.CLIENT:
        # The panel's own selector: it reads (and logs) what the panel shows, no more.
        programs = selectors.client_panel(access=access)
        if not programs:
            return []
        held = [item["latest_held"] for item in programs if item["latest_held"]]
        check_outs = workspace.client_latest_summaries(access=access, sessions=held) if held else {}
        for item in programs:
            session = item["latest_held"]
            check_out = check_outs.get(session.pk) if session else None
            item["latest"] = {"session": session, "check_out": check_out} if check_out else None
        return [{"template": "coaching_sessions/_panel_client.html", "programs": programs}]
    if role == Role.COACH:
        data = selectors.coach_panel(access=access)
        if not data["programs"]:
            return []
        return [{"template": "coaching_sessions/_panel_coach.html", **data}]
    return []
