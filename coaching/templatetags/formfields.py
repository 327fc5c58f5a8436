"""{% load formfields %}{% form_fields form %}: a form's fields as crispy-forms' bootstrap5 pack
renders them with `{% crispy form %}` and a FormHelper(form_tag=False, disable_csrf=True) (the
page writes the <form> tag and the token): the same labels, ids, classes, required marks, errors
and help texts, built in Python.

Why: crispy renders each field through about ten templates and filters; on the session page,
with five forms, that was a fifth of the request at the bench's scale 1 (#11). The widgets
themselves are still rendered by Django (str(bound_field)), as crispy does.

Only the widgets these pages use are supported (inputs, textareas, selects, radios, single
checkboxes, hidden inputs); any other raises TypeError, so that a form gaining, say, a file
field is rendered with `{% crispy %}` rather than wrongly. tests/test_formfields.py compares
the output with crispy's, field by field, with and without errors.
"""

import html
import re

from django import forms, template
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_UNSUPPORTED = (forms.FileInput, forms.CheckboxSelectMultiple, forms.MultiWidget)


def _esc(value) -> str:
    """conditional_escape(value) without its lazy-string wrapper and SafeString copies (the
    same text: Django's escape is html.escape of str(value)); the session page escapes about
    four hundred values a request (#11)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape(str(value))


# The characters html.escape replaces: text without any is returned as it is (the same text;
# #11: one search instead of five replaces, for most of the page's four hundred values).
_SPECIAL = re.compile("[&<>\"']")


def _escape(text: str) -> str:
    """html.escape(text), the same text."""
    return html.escape(text) if _SPECIAL.search(text) else text


def _widget_class(field: forms.BoundField, extra: str) -> None:
    """crispy_forms_field.CrispyFieldNode: the widget's class gets its lower-cased class name
    (unless already in it) and the pack's classes (form-control, form-select, is-invalid)."""
    widget = field.field.widget
    class_name = widget.__class__.__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(class_name) == -1:
            css_class += f" {class_name}"
    else:
        css_class = class_name
    for name in extra.split():
        if name not in css_class.split():
            css_class += f" {name}"
    widget.attrs["class"] = css_class


def _errors(field: forms.BoundField, tag: str, errors=None) -> str:
    """errors: field.errors, when the caller has them (each read builds a list, #11)."""
    if errors is None:
        errors = field.errors
    if not errors:
        return ""
    auto_id = _esc(field.auto_id)
    items = "".join(
        f'<{tag} id="error_{n}_{auto_id}"><strong>{_esc(e)}</strong></{tag}>'
        for n, e in enumerate(errors, start=1)
    )
    # field_id: as {{ field.errors.field_id }} resolves it
    field_id = _esc(getattr(errors, "field_id", ""))
    return f'<div id="{field_id}_error" class="invalid-feedback">{items}</div>'


def _help(field: forms.BoundField) -> str:
    if not field.help_text:
        return ""
    id_attr = f'id="{_esc(field.auto_id)}_helptext" ' if field.auto_id else ""
    # As crispy: help texts are the form's own strings, rendered unescaped (|safe).
    return f'<div {id_attr}class="form-text">{field.help_text}</div>'


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html (and bootstrap5/layout/attrs.html, the same loop)."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_esc(name)}")
        if value is not True:
            out.append(f'="{_escape(str(value))}"')  # |stringformat:'s', escaped (always)
    return "".join(out)


def _text(value) -> str:
    """{{ value }} in a template: localized, then escaped unless marked safe."""
    return _esc(str(localize(value)))


# Django's own widget templates, written out below; a widget with any other template (or a
# form with its own renderer) is rendered by Django.
_INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
    )
}
_TEXTAREA = "django/forms/widgets/textarea.html"
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"


def _widget(field: forms.BoundField) -> str:
    """str(field) (BoundField.as_widget, then the widget's template), without the templates."""
    widget = field.field.widget
    renderer = field.form.renderer
    known = widget.template_name in _INPUTS or widget.template_name in (_TEXTAREA, _SELECT)
    if (
        not known
        or field.field.show_hidden_initial
        or field.field.localize
        or type(renderer) is not DjangoTemplates
    ):
        return str(field)
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    name, attrs_html = _esc(context["name"]), _attrs(context["attrs"])
    if widget.template_name == _TEXTAREA:
        value = _text(context["value"]) if context["value"] else ""
        return f'<textarea name="{name}"{attrs_html}>\n{value}</textarea>'
    if widget.template_name == _SELECT:
        out = [f'<select name="{name}"{attrs_html}>']
        for group_name, group_choices, _index in context["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in group_choices:
                if option["template_name"] != _OPTION:
                    return str(field)
                value = _escape(str(option["value"]))
                out.append(
                    f'\n  <option value="{value}"{_attrs(option["attrs"])}>'
                    f"{_text(option['label'])}</option>"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return "".join(out)
    value = context["value"]
    value_html = f' value="{_escape(str(value))}"' if value is not None else ""
    kind = _esc(context["type"])
    return f'<input type="{kind}" name="{name}"{value_html}{attrs_html}>'


def _radios(field: forms.BoundField) -> str:
    """bootstrap5/layout/radio_checkbox_select.html, for a RadioSelect."""
    invalid = " is-invalid" if field.errors else ""
    groups = list(_optgroups(field))
    parts = ["<div >"]
    for g, (group, options, _index) in enumerate(groups):
        if group:
            parts.append(format_html("<strong>{}</strong>", group))
        for o, option in enumerate(options):
            last = o == len(options) - 1 and g == len(groups) - 1
            parts.append(
                format_html(
                    '<div class="form-check"><input type="{}" class="form-check-input{}" '
                    'name="{}" value="{}"{}><label for="{}" class="form-check-label">{}</label>'
                    "{}</div>",
                    option["type"],
                    invalid,
                    field.html_name,
                    str(option["value"]),
                    mark_safe(_attrs(option["attrs"])),  # noqa: S308 # escaped by _attrs
                    option["attrs"].get("id", ""),
                    str(option["label"]),
                    mark_safe(_errors(field, "p") if last else ""),  # noqa: S308
                )
            )
    parts.append("</div>")
    parts.append(_help(field))
    return "".join(parts)


def _optgroups(field: forms.BoundField):
    """crispy_forms_filters.optgroups."""
    id_ = field.field.widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    values = field.field.widget.format_value(field.value())
    return field.field.widget.optgroups(field.html_name, values, attrs)


_ASTERISK = '<span class="asteriskField">*</span>'


def _label(field: forms.BoundField, tag: str, css: str) -> str:
    required = field.field.required
    id_for_label = field.id_for_label
    for_attr = f' for="{_esc(id_for_label)}"' if id_for_label else ""
    marks = " requiredField" if required else ""
    if tag == "legend":
        marks += " fs-6"
    asterisk = _ASTERISK if required else ""
    return f'<{tag}{for_attr} class="{_esc(css)}{marks}">{_esc(field.label)}{asterisk}</{tag}>'


def _css_classes(field: forms.BoundField, errors) -> str:
    """field.css_classes() with the field's errors already read."""
    form = field.form
    classes = set()
    if errors and hasattr(form, "error_css_class"):
        classes.add(form.error_css_class)
    if field.field.required and hasattr(form, "required_css_class"):
        classes.add(form.required_css_class)
    return " ".join(classes)


def render_field(field: forms.BoundField, error_tag: str = "span") -> str:
    """bootstrap5/field.html with the default helper (labels and errors shown, errors inline:
    error_tag "span"; "p" as the |crispy filter, which has no helper, writes them)."""
    widget = field.field.widget
    if isinstance(widget, _UNSUPPORTED):
        raise TypeError(f"{{% form_fields %}} does not render {type(widget).__name__}: use crispy")
    if field.is_hidden:
        return _widget(field)
    errors = field.errors  # read once (#11: each read builds a list)
    css_classes = _css_classes(field, errors)
    wrapper_class = f"mb-3 {css_classes}" if css_classes else "mb-3"
    invalid = " is-invalid" if errors else ""
    if isinstance(widget, forms.CheckboxInput):
        _widget_class(field, "form-check-input" + invalid)
        required = field.field.required
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}'
            '<label for="{}" class="form-check-label{}">{}{}</label>{}{}</div></div>',
            field.auto_id,
            f" {css_classes}" if css_classes else "",
            _widget(field),
            field.id_for_label,
            " requiredField" if required else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>' if required else ""),  # noqa: S308
            mark_safe(_errors(field, error_tag, errors)),  # noqa: S308
            mark_safe(_help(field)),  # noqa: S308
        )
    parts: list[str] = [f'<div id="div_{_esc(field.auto_id)}" class="{_esc(wrapper_class)}">']
    fieldset = field.use_fieldset and field.label
    if field.label:
        if fieldset:
            describedby = field.aria_describedby
            parts.append(
                format_html('<fieldset aria-describedby="{}">', describedby)
                if describedby
                else "<fieldset>"
            )
        parts.append(_label(field, "legend" if field.use_fieldset else "label", "form-label"))
    if isinstance(widget, forms.RadioSelect):
        parts.append(_radios(field))
    else:
        _widget_class(
            field, ("form-select" if isinstance(widget, forms.Select) else "form-control") + invalid
        )
        parts.append(_widget(field))
        parts.append(_errors(field, error_tag, errors))
        parts.append(_help(field))
    if fieldset:
        parts.append("</fieldset>")
    parts.append("</div>")
    return "".join(parts)


@register.simple_tag
def form_fields(form: forms.BaseForm, as_filter: bool = False) -> SafeString:
    """The form's non-field errors (bootstrap5/errors.html), then every field in order.
    as_filter=True: as `{{ form|crispy }}` renders them (each error in a <p>)."""
    parts: list[str] = []
    if form.non_field_errors():
        items = "".join(format_html("<li>{}</li>", e) for e in form.non_field_errors())
        parts.append(
            format_html(
                '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
                mark_safe(items),  # noqa: S308
            )
        )
    error_tag = "p" if as_filter else "span"
    parts.extend(render_field(field, error_tag) for field in form)
    return mark_safe(" ".join(parts))  # noqa: S308 # every part is escaped above
