"""Dashboard panels: each app contributes what a role should see first in a practice.

An app lists a module in settings.DASHBOARD_PANEL_MODULES; the module's panels(access, role)
returns dicts with a "template" and that template's context. Panels read through the gate.
A panel marked "aside": True (a yearly attestation, an erasure request) is a side matter: it
does not stand in for the role's empty state, which still says what to do next.
"""

from importlib import import_module

from django.conf import settings


def panels_for(access, role):
    panels = []
    for module_name in settings.DASHBOARD_PANEL_MODULES:
        panels.extend(import_module(module_name).panels(access, role))
    return panels


def has_main_panel(panels):
    return any(not panel.get("aside") for panel in panels)
