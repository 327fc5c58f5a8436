"""Dashboard panels: each app contributes what a role should see first in a practice.

An app lists a module in settings.DASHBOARD_PANEL_MODULES; the module's panels(access, role)
returns dicts with a "template" and that template's context. Panels read through the gate.
"""

from importlib import import_module

from django.conf import settings


def panels_for(access, role):
    panels = []
    for module_name in settings.DASHBOARD_PANEL_MODULES:
        panels.extend(import_module(module_name).panels(access, role))
    return panels
