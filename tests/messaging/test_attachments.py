"""A message's file: type by content, size limit, encrypted, through the gate, logged, exported,
erased, gone with a deleted message."""

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from ethics.models import AccessEvent
from messaging.models import Message, MessageAttachment
from messaging.services import ATTACHMENT_MAX_BYTES
from tests.ethics.exports import export_json
from tests.ethics.helpers import erasure_request_for
from tests.sessions.factories import program_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def send(client, world, program, data, name, body="see the file"):
    url = reverse("message_send", args=[world.practice.slug, program.code])
    return client.post(url, {"body": body, "attachment": SimpleUploadedFile(name, data)})


def file_url(world, message):
    return reverse("message_attachment", args=[world.practice.slug, message.code])


@pytest.mark.parametrize(
    ("data", "name", "mime"),
    [
        (PDF, "plan.pdf", "application/pdf"),
        (PNG, "board.png", "image/png"),
        (JPEG, "photo.jpg", "image/jpeg"),
        (PDF, "looks-like-a-picture.png", "application/pdf"),  # the content decides
    ],
)
def test_an_allowed_file_is_stored_with_the_type_its_content_shows(
    world, client_for, data, name, mime
):
    program = program_for(world)
    response = send(client_for(world.client), world, program, data, name)
    assert response.status_code == 302
    message = Message.objects.get(program=program)
    assert (message.attachment_name, message.attachment_type) == (name, mime)
    assert message.attachment_size == len(data)
    download = client_for(world.coach).get(file_url(world, message))
    assert download.status_code == 200
    assert download.content == data
    assert download["Content-Type"] == mime
    assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ\x90\x00 an executable", "report.pdf"),
        (b"<html><script>alert(1)</script>", "invoice.pdf"),
        (b"just text", "notes.png"),
    ],
)
def test_a_file_whose_content_is_not_allowed_is_refused_whatever_its_name(
    world, client_for, data, name
):
    program = program_for(world)
    response = send(client_for(world.client), world, program, data, name, body="keep me")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Only PDF, PNG and JPEG files can be attached" in page
    assert "keep me" in page  # what was typed stays
    assert not Message.objects.filter(program=program).exists()
    assert not MessageAttachment.objects.exists()


def test_a_file_over_the_limit_is_refused(world, client_for):
    program = program_for(world)
    data = PDF + b"0" * ATTACHMENT_MAX_BYTES
    response = send(client_for(world.client), world, program, data, "big.pdf")
    assert response.status_code == 400
    assert "A file can be at most 5 MB" in response.content.decode()
    assert not Message.objects.exists()


def test_the_file_and_its_name_are_encrypted_at_rest(world, client_for):
    program = program_for(world)
    data = PDF.replace(b"obj", b"SECRETBYTES")
    send(client_for(world.client), world, program, data, "SECRETNAME.pdf")
    with connection.cursor() as cursor:
        cursor.execute("SELECT attachment_name FROM messaging_message")
        [(name,)] = cursor.fetchall()
        cursor.execute("SELECT content FROM messaging_messageattachment")
        [(content,)] = cursor.fetchall()
    assert "SECRETNAME" not in name
    assert "SECRETBYTES" not in content and "U0VDUkVUQllURVM" not in content


def test_the_thread_shows_the_file_and_the_coachs_download_is_logged(world, client_for):
    program = program_for(world)
    send(client_for(world.client), world, program, PDF, "plan.pdf")
    message = Message.objects.get()
    coach = client_for(world.coach)
    page = coach.get(reverse("message_thread", args=[world.practice.slug, program.code]))
    assert "plan.pdf" in page.content.decode()
    before = AccessEvent.objects.filter(label="Message attachment").count()
    coach.get(file_url(world, message))
    events = AccessEvent.objects.filter(label="Message attachment")
    assert events.count() == before + 1
    event = events.latest("at")
    assert (event.reader, event.subject) == (world.coach, world.client)
    # The client downloading their own file is nothing anyone else did: not logged.
    client_for(world.client).get(file_url(world, message))
    assert events.count() == before + 1


@pytest.mark.parametrize("persona", ["admin", "sponsor", "other_coach", "outsider"])
def test_nobody_but_the_two_parties_gets_the_file(world, client_for, persona):
    program = program_for(world)
    send(client_for(world.client), world, program, PDF, "plan.pdf")
    message = Message.objects.get()
    response = client_for(world.persona(persona)).get(file_url(world, message))
    assert response.status_code == 404
    assert PDF not in response.content


def test_deleting_the_message_deletes_its_file(world, client_for):
    program = program_for(world)
    client = client_for(world.client)
    send(client, world, program, PDF, "plan.pdf")
    message = Message.objects.get()
    client.post(reverse("message_delete", args=[world.practice.slug, message.code]))
    message.refresh_from_db()
    assert message.attachment_name == ""
    assert not MessageAttachment.objects.exists()
    assert client_for(world.coach).get(file_url(world, message)).status_code == 404


def test_the_export_holds_the_file_and_erasure_removes_it(world, client_for):
    program = program_for(world)
    send(client_for(world.client), world, program, PDF, "plan.pdf")
    export = export_json(client_for(world.client), world.practice)
    [row] = json.loads(export.content)["sections"]["messages"]["rows"]
    assert (row["attachment"], row["attachment_type"]) == ("plan.pdf", "application/pdf")
    assert base64.b64decode(row["attachment_base64"]) == PDF
    request = erasure_request_for(world)
    client_for(world.admin).post(
        reverse("erasure_request_complete", args=[world.practice.slug, request.code])
    )
    assert not MessageAttachment.objects.exists()
