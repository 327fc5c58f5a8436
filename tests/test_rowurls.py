"""{% row_url %} gives what {% url %} gives, for every pattern the lists use it for (#11)."""

import uuid

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix
from django.utils import translation

from coaching.templatetags.rowurls import row_url

NAMES = [
    "session_prepare",
    "session_run",
    "session_move_request",
    "action_item_done",
    "coach_program",
    "program_detail",
    "program_schedule",
    "proposal_detail",
    "contract_detail",
    "response_detail",
    "response_answer",
    "assessments",
    "alignment",
    "feedback360",
    "stakeholders",
]


@pytest.mark.parametrize("name", NAMES)
def test_it_gives_the_url_reverse_gives(name):
    for slug in ["cahaya", "00000000-0000-0000-0000-000000000000", "bench-large"]:
        for _ in range(2):  # the second one from the cached halves
            code = uuid.uuid4()
            assert row_url(name, slug, code) == reverse(name, args=[slug, code])


def test_it_renders_as_the_url_tag_does_in_a_loop():
    codes = [uuid.uuid4() for _ in range(3)]
    loop = "{% load rowurls %}{% for c in codes %}{% TAG 'coach_program' slug c %};{% endfor %}"

    def render(tag):
        template = engines["django"].from_string(loop.replace("TAG", tag))
        return template.render({"codes": codes, "slug": "cahaya"})

    assert render("row_url") == render("url")
    assert str(codes[2]) in render("row_url")


def test_a_code_given_as_text_is_reversed_as_the_url_tag_reverses_it():
    code = str(uuid.uuid4())
    assert row_url("program_detail", "cahaya", code) == reverse(
        "program_detail", args=["cahaya", code]
    )


def test_it_follows_the_script_prefix():
    code = uuid.uuid4()
    try:
        set_script_prefix("/coaching/")
        with translation.override("id"):
            assert row_url("coach_program", "cahaya", code) == reverse(
                "coach_program", args=["cahaya", code]
            )
            assert row_url("coach_program", "cahaya", code).startswith("/coaching/p/")
    finally:
        set_script_prefix("/")
