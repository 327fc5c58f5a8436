"""Finding 10 of #12: CSV cells that a spreadsheet would run are escaped; plain-text emails do
not HTML-escape names."""

from django.urls import reverse

from coaching import emails
from tests.ethics.helpers import at, program_for, session_for
from tests.factories import MembershipFactory, UserFactory


def test_a_client_name_starting_with_a_formula_is_escaped_in_the_icf_csv(world, client_for):
    for index, name in enumerate(["=HYPERLINK(1)", "+1+1", "-2", "@SUM(A1)"], start=1):
        client = UserFactory(full_name=name, email=f"f{index}@cahaya.test")
        MembershipFactory(practice=world.practice, user=client, role="client")
        session_for(program_for(world, client=client, sponsor=None), number=1, starts_at=at(index))
    url = reverse("icf_hours_export", kwargs={"slug": world.practice.slug})
    body = client_for(world.coach).get(url).content.decode()
    lines = body.splitlines()[1:]
    assert sorted(line.split(",")[0].strip('"') for line in lines) == sorted(
        ["'=HYPERLINK(1)", "'+1+1", "'-2", "'@SUM(A1)"]
    )


def test_the_plain_text_part_keeps_an_ampersand_and_the_html_part_escapes_it(world):
    from coaching.accounts.models import Invitation
    from coaching.accounts.services import invitation_create

    world.practice.name = "A & B <Coaching>"
    world.practice.save()
    invitation_create(
        practice=world.practice, email="new@cahaya.test", role="client", invited_by=world.admin
    )
    _subject, text, html = emails.render(
        "invitation",
        {"invitation": Invitation.objects.get(email="new@cahaya.test"), "link": "x"},
        language="en",
    )
    assert "A & B <Coaching>" in text
    assert "&amp;" not in text
    assert "A &amp; B &lt;Coaching&gt;" in html
