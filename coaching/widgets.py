"""The browser's own date and time pickers.

<input type="date"> and "datetime-local" accept only ISO values; Django would otherwise
render the value in the active language's format (in Indonesian "26/11/2026"), which the
browser drops, so an Indonesian admin would see the contract's dates blank and could not save
the form. The value shown to the person is the browser's, in their locale, either way.
"""

import uuid

from django import forms


class NativeDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class NativeDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def submission_field():
    """A hidden one-time token for a form that creates a row (a task, an objective, a journal
    entry): a new UUID each time the empty form is shown, kept when a refused form is shown
    again. The view claims it (coaching.viewkit.first_submission), so a double click or a
    resent form makes one row, not two."""
    return forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
