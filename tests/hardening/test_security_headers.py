"""Finding 9 of #12: Content-Security-Policy (scripts and styles from this site only) and
Permissions-Policy on every page, and no inline script, handler or style in the templates."""

import re
from pathlib import Path

from django.urls import reverse

from tests.programs import builders

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_a_content_page_carries_the_policies_and_no_store(world, client_for):
    program = builders.program(world)
    response = client_for(world.coach).get(
        reverse("program_detail", kwargs={"slug": world.practice.slug, "code": program.code})
    )
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_the_sign_in_page_carries_the_policy_too(client):
    response = client.get(reverse("account_login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_no_template_has_an_inline_script_handler_or_style():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    style = re.compile(r"\sstyle\s*=|<style", re.I)
    found = []
    for path in TEMPLATES.rglob("*.html"):
        if "emails" in path.parts:  # emails are read in a mail client, not under the policy
            continue
        text = path.read_text()
        for name, pattern in [("script", inline_script), ("handler", handler), ("style", style)]:
            if pattern.search(text):
                found.append(f"{path.relative_to(TEMPLATES)}: inline {name}")
    assert found == []
