"""coaching.queries.counts_in_one_query: the dashboards' numbers, in one query (#11)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.accounts.models import Membership, Practice
from coaching.queries import counts_by, counts_in_one_query


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


def test_counts_by_gives_each_values_count_as_its_own_filter_would_in_one_query(world):
    practice = Practice.objects.filter(pk=world.practice.pk)
    members = Membership.objects.filter(practice=world.practice)
    roles = ["admin", "coach", "client", "sponsor", "scheduler", "nobody"]
    with CaptureQueriesContext(connection) as captured:
        counted = counts_in_one_query(
            practice,
            {
                **counts_by(members, "role", roles),
                "all": members,
                **{f"none_{r}": n for r, n in counts_by(members.none(), "role", roles).items()},
            },
        )
    assert len(captured) == 1
    for role in roles:
        assert counted[role] == members.filter(role=role).count()
        assert counted[f"none_{role}"] == 0
    assert counted["coach"] == 2 and counted["client"] >= 1  # the world's coach and other coach
    assert counted["nobody"] == 0  # a value with no rows counts 0
    assert counted["all"] == members.count()
