"""coaching.queries.counts_in_one_query: the dashboards' numbers, in one query (#11)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.accounts.models import Membership, Practice
from coaching.queries import counts_in_one_query


def test_each_count_is_its_querysets_rows_in_one_query_and_nothing_counts_zero(world):
    practice = Practice.objects.filter(pk=world.practice.pk)
    members = Membership.objects.filter(practice=world.practice)
    with CaptureQueriesContext(connection) as captured:
        counted = counts_in_one_query(
            practice,
            {
                "members": members,
                "coaches": members.filter(role="coach"),
                "none": Membership.objects.none(),
                "elsewhere": Membership.objects.exclude(practice=world.practice),
            },
        )
    assert len(captured) == 1
    assert counted == {
        "members": members.count(),
        "coaches": members.filter(role="coach").count(),
        "none": 0,
        "elsewhere": Membership.objects.exclude(practice=world.practice).count(),
    }
    assert counted["members"] > counted["coaches"] >= 1 and counted["elsewhere"] >= 1
    assert counts_in_one_query(practice, {}) == {}
