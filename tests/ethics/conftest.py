import pytest
from cryptography.fernet import Fernet

# Fixed test keys. coaching/settings/test.py sets a development key too once merged; these
# fixtures make the ethics tests independent of it.
KEY_OLD = "Q2FoYXlhLWNvYWNoaW5nLXRlc3Qta2V5LW9sZC0wMDA="
KEY_NEW = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def content_keys(settings):
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_OLD]
    return settings
