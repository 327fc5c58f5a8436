"""Finding 5 of #12: passwords of at least 12 characters, not a common one; long passphrases."""

from django.urls import reverse

from coaching.accounts.models import User


def _signup(client, password):
    return client.post(
        reverse("account_signup"),
        {"email": "new.person@cahaya.test", "password1": password, "password2": password},
    )


def test_an_eleven_character_password_is_refused_and_nothing_is_created(db, client):
    response = _signup(client, "Kp8#vLq2wZx")
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not User.objects.filter(email="new.person@cahaya.test").exists()


def test_a_common_password_of_twelve_characters_is_refused(db, client):
    response = _signup(client, "password1234")
    assert "too common" in response.content.decode()
    assert not User.objects.filter(email="new.person@cahaya.test").exists()


def test_a_long_passphrase_is_welcome(db, client):
    passphrase = "kopi susu di warung pojok setiap kamis pagi sebelum rapat tim " * 3
    response = _signup(client, passphrase)
    assert response.status_code == 302
    assert User.objects.get(email="new.person@cahaya.test").check_password(passphrase)
