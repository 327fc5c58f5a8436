"""Model fields whose values are encrypted in the database (see ethics/crypto.py).

The Python value is the plain text; the column holds a Fernet token. Reading a row whose
token no configured key opens raises ContentDecryptionError, so such a row can never be
shown, nor saved back with its ciphertext taken for text. Encrypted columns cannot be
searched or ordered by their content: filter on other columns.
"""

import json

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxLengthValidator
from django.db import models

from . import crypto


class EncryptedMixin:
    encrypted = True

    def from_db_value(self, value, expression, connection):
        if value is None:  # a LEFT JOIN that found no row (#11: parts joined to sessions)
            return None
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return crypto.encrypt(value)


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A TextField stored as a Fernet token."""


class EncryptedCharField(EncryptedMixin, models.TextField):
    """A short encrypted text: a TextField column (tokens are longer than the text), with
    max_length checked on the plain text by the form and model validation."""

    def __init__(self, *args, max_length=None, **kwargs):
        self.plain_max_length = max_length
        super().__init__(*args, **kwargs)
        if max_length:
            self.validators.append(MaxLengthValidator(max_length))

    def deconstruct(self):
        name, path, args, kwargs = models.TextField.deconstruct(self)
        if self.plain_max_length:
            kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs):

        defaults = {"max_length": self.plain_max_length, "widget": forms.TextInput}
        defaults.update(kwargs)
        return super().formfield(**defaults)


class EncryptedJSONField(EncryptedMixin, models.TextField):
    """A JSON value (lists, dicts, strings, numbers) stored as a Fernet token of its JSON text.

    Deliberately not an EncryptedTextField: its Python value is not text. None is stored as
    NULL (declare null=True to allow it); an empty list is stored as the token of "[]"."""

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        text = crypto.decrypt(value)
        return None if text is None or text == "" else json.loads(text)

    def to_python(self, value):
        return value  # as models.JSONField: the value is already the Python object

    def get_prep_value(self, value):
        if value is None:
            return None
        return crypto.encrypt(json.dumps(value, cls=DjangoJSONEncoder))

    def value_to_string(self, obj):
        return self.value_from_object(obj)  # as models.JSONField (serializers)

    def formfield(self, **kwargs):

        return super().formfield(**{"form_class": forms.JSONField, **kwargs})


def encrypted_fields(model):
    """The encrypted concrete fields of a model."""
    return [
        field
        for field in model._meta.concrete_fields
        if getattr(field, "encrypted", False) and field.model is model
    ]
