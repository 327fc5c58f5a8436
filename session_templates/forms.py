from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DEFAULT_PROMPTS, REQUIRED_KINDS, STANDARD_KINDS, TemplatePart

Kind = TemplatePart.Kind
EXTRA_SLOTS = 2  # extra parts a template may add


def _text(label, max_length=100):
    return forms.CharField(
        label=label, max_length=max_length, required=False, widget=forms.TextInput()
    )


def _prompts(label):
    return forms.CharField(
        label=label,
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SessionTemplateForm(forms.Form):
    """A template in one form: name, time boxes, then each part (position, whether it is
    used, title and prompts in both languages) and up to two extra parts."""

    name = forms.CharField(label=_("Name"), max_length=100)
    check_in_min_minutes = forms.IntegerField(
        label=_("Check-in: at least (minutes)"), min_value=1, max_value=60, initial=5
    )
    check_in_max_minutes = forms.IntegerField(
        label=_("Check-in: at most (minutes)"), min_value=1, max_value=60, initial=15
    )
    check_out_minutes = forms.IntegerField(
        label=_("Check-out (minutes)"), min_value=1, max_value=60, initial=15
    )

    def __init__(self, *args, template=None, parts=(), for_practice=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        if for_practice is not None:
            self.fields["for_practice"] = forms.BooleanField(
                label=_("For every coach of the practice"), required=False, initial=for_practice
            )
        stored = {p.kind: p for p in parts if p.kind != Kind.EXTRA}
        extras = [p for p in parts if p.kind == Kind.EXTRA]
        self.groups = []
        for number, kind in enumerate(STANDARD_KINDS):
            row = stored.get(kind)
            names = []
            if kind != Kind.PREPARATION:
                self.fields[f"{kind}_position"] = forms.IntegerField(
                    label=_("Position"),
                    min_value=1,
                    max_value=20,
                    initial=row.position if row else number,
                )
                names.append(f"{kind}_position")
            if kind not in REQUIRED_KINDS:
                self.fields[f"{kind}_used"] = forms.BooleanField(
                    label=_("Part of my sessions"),
                    required=False,
                    initial=row is not None or template is None,
                )
                names.append(f"{kind}_used")
            names += self._texts(kind, row)
            self.groups.append((Kind(kind).label, DEFAULT_PROMPTS[kind], names))
        for slot in range(1, EXTRA_SLOTS + 1):
            row = extras[slot - 1] if len(extras) >= slot else None
            prefix = f"extra{slot}"
            self.fields[f"{prefix}_position"] = forms.IntegerField(
                label=_("Position"),
                min_value=1,
                max_value=20,
                required=False,
                initial=row.position if row else None,
            )
            names = [f"{prefix}_position", *self._texts(prefix, row)]
            self.groups.append((_("Extra part %(number)s") % {"number": slot}, [], names))
        if template is not None:
            for name in (
                "name",
                "check_in_min_minutes",
                "check_in_max_minutes",
                "check_out_minutes",
            ):
                self.initial.setdefault(name, getattr(template, name))

    def _texts(self, prefix, row):
        fields = {
            f"{prefix}_title_en": _text(_("Title (English)")),
            f"{prefix}_title_id": _text(_("Title (Indonesian)")),
            f"{prefix}_prompts_en": _prompts(_("Prompts (English), one a line")),
            f"{prefix}_prompts_id": _prompts(_("Prompts (Indonesian), one a line")),
        }
        for name, form_field in fields.items():
            self.fields[name] = form_field
            if row is not None:
                form_field.initial = getattr(row, name.removeprefix(f"{prefix}_"))
        return list(fields)

    def field_groups(self):
        return [
            (title, prompts, [self[name] for name in names])
            for title, prompts, names in self.groups
        ]

    def clean(self):
        data = super().clean()
        low, high = data.get("check_in_min_minutes"), data.get("check_in_max_minutes")
        if low and high and low > high:
            self.add_error(
                "check_in_max_minutes", _("The longest check-in is shorter than the shortest.")
            )
        for slot in range(1, EXTRA_SLOTS + 1):
            prefix = f"extra{slot}"
            titled = data.get(f"{prefix}_title_en") or data.get(f"{prefix}_title_id")
            if titled and not data.get(f"{prefix}_position"):
                self.add_error(f"{prefix}_position", _("Say where this part goes."))
            if data.get(f"{prefix}_position") and not titled:
                self.add_error(f"{prefix}_title_en", _("Give the extra part a title."))
        seen = {}
        for kind, position in self._positions(data):
            if position in seen:
                self.add_error(
                    f"{kind}_position",
                    _("Two parts have position %(position)s; give each its own.")
                    % {"position": position},
                )
            seen[position] = kind
        return data

    def _positions(self, data):
        for kind in STANDARD_KINDS:
            if kind == Kind.PREPARATION:
                continue
            if kind not in REQUIRED_KINDS and not data.get(f"{kind}_used"):
                continue
            if data.get(f"{kind}_position") is not None:
                yield kind, data[f"{kind}_position"]
        for slot in range(1, EXTRA_SLOTS + 1):
            if data.get(f"extra{slot}_position"):
                yield f"extra{slot}", data[f"extra{slot}_position"]

    def template_values(self):
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "name",
                "check_in_min_minutes",
                "check_in_max_minutes",
                "check_out_minutes",
            )
        }

    def parts(self):
        """The TemplatePart rows this form describes, as dicts for the service."""
        data = self.cleaned_data

        def texts(prefix):
            return {
                key: data.get(f"{prefix}_{key}", "")
                for key in ("title_en", "title_id", "prompts_en", "prompts_id")
            }

        parts = [{"kind": Kind.PREPARATION, "position": 0, **texts(Kind.PREPARATION)}]
        for kind, position in self._positions(data):
            if kind.startswith("extra"):
                parts.append({"kind": Kind.EXTRA, "position": position, **texts(kind)})
            else:
                parts.append({"kind": kind, "position": position, **texts(kind)})
        return parts


class ProgramTemplateForm(forms.Form):
    template = forms.ChoiceField(label=_("Session template"), required=False)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {str(t.code): t for t in templates}
        self.fields["template"].choices = [
            ("", _("The practice's standard (six parts)")),
            *[(code, t.name) for code, t in self.templates.items()],
        ]
        self.fields["template"].widget.attrs["class"] = "form-select form-select-sm w-auto"

    def chosen(self):
        return self.templates.get(self.cleaned_data.get("template") or "")
