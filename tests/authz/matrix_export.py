"""The client's prepared data export (#11): asking for it and downloading it. Only the client
themself: other roles of the practice 403, a user of another practice 404, the scheduler
refused; the download is of the client's own prepared export (tests/ethics/test_prepared_export.py
shows another client never reaches it)."""

from ethics.models import PreparedExport
from tests.authz.spec import Entry, only
from tests.ethics.exports import ready_export


def prepared(world):
    ready_export(world)
    return {"slug": world.practice.slug}


def asked(world, kwargs):
    """When the client last asked for their export (the task runs after the commit, which a
    test's transaction never reaches: the request is what the POST changes)."""
    return list(
        PreparedExport.objects.filter(practice=world.practice, client=world.client).values_list(
            "requested_at", flat=True
        )
    )


ENTRIES = [
    Entry("data_export_json", only(["client"]), kwargs=prepared),
    Entry(
        "data_export_prepare",
        only(["client"], 302),
        kwargs=lambda world: {"slug": world.practice.slug},
        method="post",
        effect=asked,
    ),
]
