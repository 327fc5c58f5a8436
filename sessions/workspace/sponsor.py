"""The sponsor's panel: attendance and approved progress reports (sessions.workspace)."""

from ethics import access as gate
from programs.selectors import sponsor_programs

from .common import LIMIT, cut


def sponsor_today(*, access):
    """Attendance across the sponsored programs (held, late-cancelled, no-show, booked; the
    next session's date) and the approved progress reports waiting to be read. Report texts
    are not loaded: the list shows whose report it is and when it was approved."""
    programs = sponsor_programs(access=access)  # the programs panel lists them too
    reports = list(
        gate.progress_reports_visible_to(access, programs=programs)
        .values("code", "approved_at", "program__code", "program__client__full_name")
        .order_by("-approved_at")[: LIMIT + 1]
    )
    totals = {
        "held": sum(p.held for p in programs),
        "late": sum(p.late for p in programs),
        "no_show": sum(p.no_show for p in programs),
    }
    return {"programs": programs, "reports": cut(reports), "totals": totals}
