"""The money filter for programs' templates.

coaching/templatetags/money.py is not in an installed app yet, so {% load money %} fails;
this re-exports its library under a name of our own. Once "coaching" is installed, templates
may switch to {% load money %} and this module can go.
"""

from coaching.templatetags.money import register  # noqa: F401
