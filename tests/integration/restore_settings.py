"""Settings of the restore probe (tests/integration/restore_probe.py): the test settings, but
the content keys from the environment, as production reads them (the test settings pin a
fixed development key)."""

from coaching.settings.env import envlist
from coaching.settings.test import *  # noqa: F403

CONTENT_ENCRYPTION_KEYS = envlist("CONTENT_ENCRYPTION_KEYS")
