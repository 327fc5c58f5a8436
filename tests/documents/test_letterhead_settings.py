"""The practice's letterhead (address and logo) on its settings page: a PNG or JPEG up to
200 KB is kept; anything else is refused with a message, changes nothing, keeps what was typed."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from coaching.accounts.models import Practice

pytestmark = pytest.mark.django_db


def _image(fmt, size=(60, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def _post(client_for, world, **extra):
    practice = world.practice
    data = {
        "name": practice.name,
        "slug": practice.slug,
        "timezone": practice.timezone,
        "currency": practice.currency,
        "default_language": practice.default_language,
        "min_session_spacing_days": practice.min_session_spacing_days,
        "address": "Jl. Sudirman 1\nJakarta",
        **extra,
    }
    return client_for(world.admin).post(reverse("practice_settings", args=[practice.slug]), data)


def test_the_admin_sets_address_and_logo(world, client_for):
    png = _image("PNG")
    response = _post(client_for, world, logo_upload=SimpleUploadedFile("logo.png", png))
    assert response.status_code == 302
    practice = Practice.objects.get(pk=world.practice.pk)
    assert practice.address == "Jl. Sudirman 1\nJakarta"
    assert bytes(practice.logo) == png


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("logo.png", b"not an image at all"), "Upload a valid image"),
        (SimpleUploadedFile("logo.gif", _image("GIF")), "must be a PNG or JPEG"),
    ],
)
def test_a_bad_logo_is_refused_and_nothing_changes(world, client_for, upload, message):
    response = _post(client_for, world, logo_upload=upload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Jl. Sudirman 1" in response.content.decode()  # what was typed is kept
    practice = Practice.objects.get(pk=world.practice.pk)
    assert practice.address == "" and bytes(practice.logo) == b""


def test_a_large_image_is_refused(world, client_for):
    # Random pixels do not compress: 400 x 400 of them are about 480 KB as a PNG.
    big = Image.frombytes("RGB", (400, 400), os.urandom(400 * 400 * 3))
    buffer = io.BytesIO()
    big.save(buffer, format="PNG")
    assert buffer.tell() > 200 * 1024
    response = _post(
        client_for, world, logo_upload=SimpleUploadedFile("logo.png", buffer.getvalue())
    )
    assert "larger than 200 KB" in response.content.decode()
    assert bytes(Practice.objects.get(pk=world.practice.pk).logo) == b""


def test_the_logo_can_be_removed(world, client_for):
    Practice.objects.filter(pk=world.practice.pk).update(logo=_image("JPEG"))
    _post(client_for, world, remove_logo="on")
    assert bytes(Practice.objects.get(pk=world.practice.pk).logo) == b""
