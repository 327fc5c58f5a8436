"""Query building blocks shared by the apps (core layer: imports no app)."""

from django.db.models import IntegerField, QuerySet, Subquery


class CountOf(Subquery):
    """The number of rows of a queryset, as a scalar subquery (one value in a SELECT)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


def counts_in_one_query(anchor: QuerySet, querysets: dict[str, QuerySet]) -> dict[str, int]:
    """{name: number of rows of querysets[name]}, read in one query: each count is a scalar
    subquery of a SELECT on `anchor`, a queryset of exactly one row (e.g. the practice)."""
    if not querysets:
        return {}
    names = list(querysets)
    aliases = [f"count_{i}" for i in range(len(names))]
    row = (
        anchor.order_by()
        .annotate(**{a: CountOf(querysets[n]) for a, n in zip(aliases, names, strict=True)})
        .values_list(*aliases)
        .get()
    )
    return dict(zip(names, row, strict=True))
