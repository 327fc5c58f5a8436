"""Dashboard panels: each app contributes what a role should see first in a practice.

An app lists a module in settings.DASHBOARD_PANEL_MODULES; the module's panels(access, role)
returns dicts with a "template" and that template's context. Panels read through the gate.
A panel marked "aside": True (a yearly attestation, an erasure request) is a side matter: it
does not stand in for the role's empty state, which still says what to do next.

Counts: a module may also define counts_wanted(access, role), {name: queryset} of the numbers its
panels show; the dashboard reads every module's counts in one query (#11: the admin's
dashboard asked seven counts in seven queries) and passes them as panels(access, role,
counts=...). Called without them, a module counts its own (one query as well). A module may
read another's count (COUNTS_READ) instead of counting the same rows twice.

Given the request, the dashboard also counts the reader's unread in-app notifications for the
navigation's inbox link, when the navigation would count them alone (a reader who is neither
coach nor client here: for the others, messaging's nav_unread counts them with the unread
messages): one query less on the admin's and the sponsor's dashboards (#11). On a coach's or a
client's dashboard it counts both of the navigation's badges, unread messages and
notifications (messaging.selectors.nav_counts_wanted): one query less there (#11).

Rows: a module may also define rows_wanted(access, role), {name: values() queryset} of a few
rows a panel lists only when there are some (the proposals waiting for a client): they come
in the counts' query, as a list of dicts under that name (coaching.queries.counts_and_rows),
so the dashboard asks as many queries whether there are some or none (#11). One such
queryset per dashboard: two would multiply each other's rows.
"""

from importlib import import_module

from django.conf import settings

from coaching.accounts.models import Practice
from coaching.notifications.selectors import NAV_UNREAD_KEY, unread_notifications
from coaching.queries import counts_and_rows
from messaging.selectors import nav_counted, nav_counts_wanted

NAV_COUNT = "navigation:unread_notifications"
NAV_BADGES = "navigation:badges:"


def practice_counts(access, querysets, rows=None):
    """{name: rows of querysets[name]} in one query (on the practice's database), and the
    rows of `rows` ({name: values() queryset}, at most one) as lists of dicts under their names."""
    if len(rows or {}) > 1:
        raise ValueError(f"one list of rows per dashboard query, not {sorted(rows)}")
    ((name, listed),) = (rows or {None: None}).items()
    anchor = Practice.objects.filter(pk=access.practice.pk)
    counted, found = counts_and_rows(anchor, querysets, listed)
    if name is not None:
        counted[name] = found
    return counted


def panels_for(access, role, request=None):
    modules = [import_module(name) for name in settings.DASHBOARD_PANEL_MODULES]
    wanted, rows = {}, {}
    for module in modules:
        if hasattr(module, "counts_wanted"):
            for name, queryset in module.counts_wanted(access, role).items():
                wanted[f"{module.__name__}:{name}"] = queryset
        if hasattr(module, "rows_wanted"):
            for name, queryset in module.rows_wanted(access, role).items():
                rows[f"{module.__name__}:{name}"] = queryset
    # The inbox link's count, read here when the navigation would read it alone (see above).
    own = request is not None and request.user.pk == access.user.pk
    nav = own and not (access.is_coach or access.is_client)
    if nav:
        wanted[NAV_COUNT] = unread_notifications(reader=access.user)
    # A coach or a client: both of the navigation's badges (messaging's nav_unread reads them).
    badges = own and (access.is_coach or access.is_client)
    if badges:
        for name, queryset in nav_counts_wanted(access).items():
            wanted[f"{NAV_BADGES}{name}"] = queryset
    counted = practice_counts(access, wanted, rows)
    if nav:
        request.__dict__[NAV_UNREAD_KEY] = counted.pop(NAV_COUNT)
    if badges:
        names = [k for k in counted if k.startswith(NAV_BADGES)]
        nav_counted(access, request, {k[len(NAV_BADGES) :]: counted.pop(k) for k in names})
    panels = []
    for module in modules:
        # COUNTS_READ: {name: "other.module:name"}, another module's count this one reads too
        # (None when that module did not count it for this role).
        reads = getattr(module, "COUNTS_READ", {})
        if hasattr(module, "counts_wanted") or hasattr(module, "rows_wanted") or reads:
            prefix = f"{module.__name__}:"
            mine = {k[len(prefix) :]: v for k, v in counted.items() if k.startswith(prefix)}
            mine.update({name: counted.get(source) for name, source in reads.items()})
            panels.extend(module.panels(access, role, counts=mine))
        else:
            panels.extend(module.panels(access, role))
    return panels


def has_main_panel(panels):
    return any(not panel.get("aside") for panel in panels)
