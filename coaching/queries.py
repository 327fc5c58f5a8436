"""Query building blocks shared by the apps (core layer: imports no app)."""

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

_M = TypeVar("_M", bound=Model)


def counts_in_one_query(
    anchor: QuerySet, querysets: dict[str, "QuerySet | SplitCount"], *, cap: int | None = None
) -> dict[str, int]:
    """{name: number of rows of querysets[name]}, read in one query: each count is a scalar
    subquery of one SELECT (on the database of `anchor`, a queryset of the row the counts are
    about, e.g. the practice). With `cap`, each count stops at cap + 1 (it reads at most that
    many rows, whatever the size of the table): a count above `cap` means "more than cap".

    Each queryset is compiled on its own and the subqueries are put side by side in a SELECT
    without FROM, which PostgreSQL and SQLite both run and which returns exactly one row (#11:
    as annotations of the anchor's row, Django resolved and relabelled every subquery again,
    about 3 ms of the admin's dashboard for its 16 counts at the bench's scale 1)."""
    return counts_and_rows(anchor, querysets, cap=cap)[0]


class _Split:
    """A queryset counted once per value of one of its columns (counts_by)."""

    def __init__(self, queryset: QuerySet, field: str):
        self.queryset, self.field = queryset, field


@dataclass(frozen=True)
class SplitCount:
    """One value's count of a _Split: a stand-in for a queryset in counts_and_rows."""

    split: _Split
    value: object


def counts_by(queryset: QuerySet, field: str, values: Iterable) -> dict:
    """{value: the number of rows of `queryset` whose `field` is that value}, for the querysets
    of counts_in_one_query and counts_and_rows: the queryset is compiled once for all the
    values, its SQL counted once per value (#11: the admin's dashboard filtered and compiled
    its members' queryset six times, its proposals' and its programs' three times each). The
    same SQL as a count of queryset.filter(field=value) each: PostgreSQL pushes the value
    down into the subquery and counts it from an index on (practice, field), as before (one
    COUNT per value of a GROUP BY or of a CASE read every row of the practice, 1 ms more at
    the bench's scale 1)."""
    split = _Split(queryset, field)
    return {value: SplitCount(split, value) for value in values}


def counts_and_rows(
    anchor: QuerySet,
    querysets: dict[str, "QuerySet | SplitCount"],
    rows: QuerySet | None = None,
    *,
    cap: int | None = None,
) -> tuple[dict[str, int], list[dict]]:
    """counts_in_one_query's counts and, in the same query, the rows of `rows` (a values()
    queryset, a few rows) as dicts: the counts' SELECT LEFT JOINs them, so it returns one row
    per row of `rows` (the counts repeated) or one row of counts when there is none (#11: a
    panel that read its rows only when a count said some exist cost one query more on the
    days they did; now the same number either way). The rows come in no particular order."""
    names = list(querysets)
    if not names and rows is None:
        return {}, []
    using = anchor.db
    parts, params = [], []
    compiled: dict[int, tuple[str, tuple] | None] = {}  # each split's SQL, compiled once
    for name in names:
        queryset = querysets[name]
        if isinstance(queryset, SplitCount):
            split = queryset.split
            if id(split) not in compiled:
                query = split.queryset.order_by().values(split.field).query
                try:
                    compiled[id(split)] = query.get_compiler(using).as_sql()
                except EmptyResultSet:
                    compiled[id(split)] = None
            found = compiled[id(split)]
            if found is None:
                parts.append("0")
                continue
            # The column is the values() name of the field; the value bound as a parameter.
            column = connections[using].ops.quote_name(split.field)
            parts.append(
                f"(SELECT COUNT(*) FROM ({found[0]}) AS counted WHERE counted.{column} = %s)"  # noqa: S608
            )
            params.extend([*found[1], queryset.value])
            continue
        counted = queryset.order_by().values("pk")
        query = (counted if cap is None else counted[: cap + 1]).query
        try:
            sql, part_params = query.get_compiler(using).as_sql()
        except EmptyResultSet:  # e.g. a .none(): nothing to count
            parts.append("0")
            continue
        # Django's SQL of the queryset, its values bound as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608
        params.extend(part_params)
    if rows is None:
        with connections[using].cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(parts)}", params)  # noqa: S608
            row = cursor.fetchone()
        return dict(zip(names, row, strict=True)), []
    query = rows.order_by().query
    compiler = query.get_compiler(using)
    try:
        rows_sql, rows_params = compiler.as_sql()
    except EmptyResultSet:  # e.g. a .none(): nothing to list
        return counts_and_rows(anchor, querysets, cap=cap)[0], []
    # The names values() gives its columns (django.db.models.query.ValuesIterable).
    columns = list(
        query.selected or [*query.extra_select, *query.values_select, *query.annotation_select]
    )
    # `listed.present` tells a row of `rows` from the NULLs of the LEFT JOIN when there is none.
    sql = (
        f"SELECT {', '.join([*parts, 'listed.*'])} FROM (SELECT 1 AS one) AS anchor "  # noqa: S608
        f"LEFT JOIN (SELECT 1 AS present, raw.* FROM ({rows_sql}) AS raw) AS listed ON 1 = 1"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [*params, *rows_params])
        fetched = cursor.fetchall()
    counts = dict(zip(names, fetched[0][: len(names)], strict=True))
    listed = [row[len(names) + 1 :] for row in fetched if row[len(names)] is not None]
    converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
    if converters:
        listed = compiler.apply_converters(listed, converters)
    return counts, [dict(zip(columns, row, strict=True)) for row in listed]


class OpenEndedPage:
    """A page of a list too long to count on every request (a practice's reminder outbox): the
    rows of page `number` and whether another page follows, from one query reading one row
    more than a page. Has what templates/_pager.html reads of a Paginator's page, without the
    number of pages (paginator is None)."""

    paginator = None

    def __init__(self, rows: QuerySet, number: object, per_page: int) -> None:
        try:
            self.number = max(1, int(str(number)))
        except ValueError:
            self.number = 1
        start = (self.number - 1) * per_page
        fetched = list(rows[start : start + per_page + 1])
        if not fetched and self.number > 1:  # past the end (an old link): the first page
            self.number, fetched = 1, list(rows[: per_page + 1])
        self.object_list = fetched[:per_page]
        self._has_next = len(fetched) > per_page

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


# Stand-ins for a compiled query's values (compiled_once): numbers and UUIDs no row has.
_SENTINEL_BASE = -7_315_000_000_000


def _sentinel(value: object, index: int) -> int | UUID:
    if isinstance(value, bool) or not isinstance(value, int | UUID):
        raise TypeError(f"compiled_once takes int or UUID values, not {type(value).__name__}")
    if isinstance(value, int):
        return _SENTINEL_BASE - index
    return UUID(int=0x5E471E1_0000_0000_0000_0000_0000 + index)


# How a value reaches the SQL's parameters: itself, or (a UUID on a database without a UUID
# type, UUIDField.get_db_prep_value) its hex.
_FORMS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("value", lambda value: value),
    ("hex", lambda value: value.hex),
)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    # (position in params, value's name, form): the parameters each request's values replace.
    slots: tuple[tuple[int, str, str], ...]
    compiler: SQLCompiler
    init_list: tuple[str, ...]
    model_columns: slice
    populators: tuple[Any, ...]
    kinds: tuple[tuple[str, type], ...]  # each value's type (int or UUID), as first given

    def params_for(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        for name, kind in self.kinds:
            if type(values[name]) is not kind:
                raise TypeError(f"compiled_once: {name} is a {kind.__name__}, not {values[name]!r}")
        params = list(self.params)
        forms = dict(_FORMS)
        for position, name, form in self.slots:
            params[position] = forms[form](values[name])
        return tuple(params)


def _compile(queryset: QuerySet, sentinels: Mapping[str, int | UUID]) -> _Compiled:
    prefetched = getattr(queryset, "_prefetch_related_lookups", ())  # not in django-stubs
    if queryset._iterable_class is not ModelIterable or prefetched:
        # compiled_once reads model rows as ModelIterable does, and nothing after them.
        raise ValueError("compiled_once reads model rows only, without prefetch_related")
    compiler = queryset.query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # e.g. a .none() for this shape (a role the reader lacks): no rows
        return _Compiled("", (), (), compiler, (), slice(0), (), ())
    slots = []
    for position, param in enumerate(params):
        for name, sentinel in sentinels.items():
            for form, written in _FORMS:
                if isinstance(sentinel, int) and form != "value":
                    continue
                if type(param) is type(written(sentinel)) and param == written(sentinel):
                    slots.append((position, name, form))
    inlined = [
        name
        for name, sentinel in sentinels.items()
        if any(
            text in sql
            for text in (
                (sentinel.hex, str(sentinel))
                if isinstance(sentinel, UUID)
                else (str(abs(sentinel)),)
            )
        )
    ]
    if inlined:
        # A value written into the SQL's text would be the first request's for good. (A value
        # the SQL does not use at all is harmless: an admin's reach does not name the user.)
        raise ValueError(f"compiled_once: values not bound as parameters: {inlined}")
    klass_info = compiler.klass_info
    columns = klass_info["select_fields"]
    model_columns = slice(columns[0], columns[-1] + 1)
    return _Compiled(
        sql=sql,
        params=tuple(params),
        slots=tuple(slots),
        compiler=compiler,
        init_list=tuple(f[0].target.attname for f in compiler.select[model_columns]),
        model_columns=model_columns,
        populators=tuple(
            # django-stubs types a later Django's signature (fetch_mode); 5.2 takes three.
            get_related_populators(klass_info, compiler.select, queryset.db)  # type: ignore[call-arg]
        ),
        kinds=tuple((name, type(sentinel)) for name, sentinel in sentinels.items()),
    )


_COMPILED: dict[Hashable, _Compiled] = {}


def compiled_once(
    model: type[_M],
    shape: Hashable,
    build: Callable[[Mapping[str, Any]], QuerySet[_M]],
    values: Mapping[str, Any],
) -> list[_M]:
    """The rows of build(values), with select_related and annotations as the ORM reads them,
    building and compiling the queryset once per process and `shape`: later calls run the SQL
    compiled then with their own values as its parameters (#11: building and compiling the
    session page's session query, its subqueries and JSON rows, was about 4 ms of its Python).

    `shape` must name everything that changes the SQL besides `values` (roles, columns, which
    subqueries): the first call's SQL is kept for it. `values` (ints and UUIDs) must reach the
    SQL only as parameters; the first compile puts stand-ins no row has in their place, finds
    them among the parameters and refuses to keep a query with one written into its text. With
    settings.CHECK_COMPILED_QUERIES (the tests), every call also builds and compiles the
    queryset with its own values and fails if the SQL or parameters differ from the kept ones:
    a value missing from `values` or a shape missing from `shape` is caught there."""
    using = router.db_for_read(model)
    key = (using, connections[using].vendor, shape)
    compiled = _COMPILED.get(key)
    if compiled is None:
        sentinels = {name: _sentinel(value, i) for i, (name, value) in enumerate(values.items())}
        compiled = _COMPILED[key] = _compile(build(sentinels), sentinels)
    params = compiled.params_for(values)
    if getattr(settings, "CHECK_COMPILED_QUERIES", False):
        fresh = build(values)
        try:
            sql, fresh_params = fresh.query.get_compiler(fresh.db).as_sql()
        except EmptyResultSet:
            sql, fresh_params = "", ()
        if sql != compiled.sql or tuple(fresh_params) != params:
            raise AssertionError(f"compiled_once({shape!r}): the kept SQL is not this call's")
    if not compiled.sql:
        return []
    with connections[using].cursor() as cursor:
        cursor.execute(compiled.sql, params)
        fetched = cursor.fetchall()
    compiler = compiled.compiler
    found = []
    for row in compiler.results_iter([fetched]):
        obj = compiler.klass_info["model"].from_db(
            using, list(compiled.init_list), row[compiled.model_columns]
        )
        for populator in compiled.populators:
            populator.populate(row, obj)
        for name, position in compiler.annotation_col_map.items():
            setattr(obj, name, row[position])
        found.append(obj)
    return found
