"""{% load formfields %}: coaching/templatetags/formfields.py's {% form_fields %}, re-exported
from an installed app as programs_money.py does for the money filter ("coaching" is not one)."""

from coaching.templatetags.formfields import register  # noqa: F401
