import pytest

from tests.notifications.test_email_canaries import canary_world  # noqa: F401  (a fixture)
from tests.whatsapp.fake_cloud_api import FakeCloudApi


@pytest.fixture
def fake_api(settings):
    """A running fake Cloud API, and the product's settings pointing at it."""
    with FakeCloudApi() as api:
        for name, value in api.settings().items():
            setattr(settings, name, value)
        yield api
