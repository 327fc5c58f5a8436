"""Encryption at rest for coaching content: Fernet tokens under a list of keys, newest first.

settings.CONTENT_ENCRYPTION_KEYS holds the keys (read from the environment variable of the
same name, comma-separated). The first key encrypts; every key in the list decrypts, so a
new key can be put in front and the old ones kept until `manage.py reencrypt_content` has
rewritten every row under the new one. A token no key opens raises ContentDecryptionError:
the application never shows ciphertext as if it were text.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class ContentKeyMissing(ImproperlyConfigured):
    """No content encryption key is configured: content can be neither written nor read."""


class ContentDecryptionError(Exception):
    """A stored value could not be decrypted with any configured key (wrong key, or not a token).

    Deliberately not a ValueError: nothing should catch it by accident and carry on.
    """


def configured_keys():
    keys = getattr(settings, "CONTENT_ENCRYPTION_KEYS", None) or []
    if isinstance(keys, str):
        keys = [key.strip() for key in keys.split(",") if key.strip()]
    return tuple(keys)


@lru_cache(maxsize=8)
def _multifernet(keys):
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "CONTENT_ENCRYPTION_KEYS must be a comma-separated list of Fernet keys "
            "(each made by `Fernet.generate_key()`)."
        ) from exc


def fernet():
    """The MultiFernet for the configured keys; raises ContentKeyMissing when there are none."""
    keys = configured_keys()
    if not keys:
        raise ContentKeyMissing(
            "CONTENT_ENCRYPTION_KEYS is not set: coaching content cannot be encrypted or read."
        )
    return _multifernet(keys)


def validate_keys(keys):
    """For the settings: raise ImproperlyConfigured unless keys is a non-empty list of keys."""
    if not keys:
        raise ContentKeyMissing("CONTENT_ENCRYPTION_KEYS must be set in production.")
    _multifernet(tuple(keys))


def encrypt(text):
    """Text -> token (str). Empty and None stay as they are: there is nothing to hide."""
    if text is None or text == "":
        return text
    return fernet().encrypt(str(text).encode("utf-8")).decode("ascii")


def decrypt(token):
    """Token -> text; ContentDecryptionError when no configured key opens it."""
    if token is None or token == "":
        return token
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise ContentDecryptionError(
            "A content field could not be decrypted with any configured key. "
            "Check CONTENT_ENCRYPTION_KEYS: the key that wrote it must still be in the list."
        ) from exc


def rotate(token):
    """Re-encrypt a token under the newest key (the token must open with one of the keys)."""
    if token is None or token == "":
        return token
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError) as exc:
        raise ContentDecryptionError(
            "A stored value could not be re-encrypted: no configured key opens it."
        ) from exc


def generate_key():
    return Fernet.generate_key().decode("ascii")
