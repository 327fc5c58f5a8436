"""Nothing outside the content gate (ethics/access.py) queries a content model directly.

The scan reads every module of the project's apps (not migrations, not tests) and fails on
  - `<ContentModel>.objects` (a manager of a content model),
  - a related manager or accessor that reaches content from a session, an objective or a
    program (`session.check_out`, `program.objectives`, `objective.ratings`, ...),
  - a manager reached through a variable or an expression (`model.objects`,
    `type(part).objects`, `apps.get_model(...)`), which names no model the scan could check,
  - raw SQL (`.raw(`, `.extra(`, `RawSQL`, a cursor's `execute`) and any string naming a
    content table.
Writes in a service (ratings_save, the programs services) and the demo step are listed below,
each with its reason.
"""

import ast
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Every app the layer contract names (a new app is scanned without being listed here).
APPS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]

CONTENT_MODELS = {
    "Preparation",
    "CheckIn",
    "ConversationNote",
    "ActionItem",
    "CheckOut",
    "ObjectiveRating",
    "Objective",
    "ObjectiveReview",
    "ProgramRevision",
    "ProgressReport",
    "Message",
    "Response",
    "RaterAnswer",
    "AlignmentMeeting",
    "ExtraPartNote",
    "MessageAttachment",
    "PreparedExport",  # the client's prepared data export (#11)
}
# Reverse accessors of the content models (sessions/models.py, programs/models.py).
CONTENT_ACCESSORS = {
    "preparation",
    "check_in",
    "check_out",
    "action_items",
    "ratings",
    "objectives",
    "revisions",
}

GATE = {"ethics/access.py"}


def _content_tables():
    from django.apps import apps

    tables = set()
    for model in apps.get_models():
        if model.__name__ in CONTENT_MODELS:
            tables.add(model._meta.db_table)
    return tables


CONTENT_TABLES = _content_tables()
RAW_SQL_CALLS = {"raw", "extra", "execute", "executemany", "RawSQL", "get_model"}

# (file, name): why it is allowed. Keep this short; each entry is a hole in the gate.
ALLOWED = {
    # Writes, not reads: the coach's ratings are upserted by the service that saves them.
    ("sessions/services.py", "ObjectiveRating"): "ratings_save writes (update_or_create)",
    # A one-per-session part whose first save lost a race becomes an update of the winner's
    # row: it reads that row's pk and author_id (values_list), never its content.
    ("sessions/services.py", "model.objects"): "session_part_save after an IntegrityError",
    # Erasure deletes the client's progress reports; it never shows them.
    ("ethics/services.py", "ProgressReport"): "erase_progress_reports deletes",
    ("ethics/demo.py", "ProgressReport"): "the demo creates one report, once (exists())",
    # `make bench` (#11): bench_data bulk-creates content in a database the bench made, and
    # reads its size; the timing middleware passes every query through (counts them).
    (
        "coaching/accounts/management/commands/bench_data.py",
        "model.objects",
    ): "bench_data bulk-creates rows (bulk_create), reads nothing back",
    (
        "coaching/accounts/management/commands/bench_data.py",
        "execute",
    ): "bench_data reads pg_database_size()",
    ("coaching/benchkit.py", "execute"): "the timing middleware's execute_wrapper counts queries",
    # The billing report's rebuild (#11) locks its own two tables of amounts (LOCK TABLE).
    ("billing/services.py", "execute"): "report_days_rebuild locks the report's totals tables",
    # The dashboards' counts (#11): the SQL Django compiled from the callers' querysets (the
    # gate's and the reach's), each wrapped in a COUNT(*): numbers, never a row of content.
    ("coaching/queries.py", "execute"): "counts_in_one_query counts the callers' querysets",
    # The demo step creates content; it reads nothing back.
    # Programs writes its content in its services; its pages read it through the gate
    # (program_content_for, completion_summary_for).
    ("programs/services/program.py", "Objective"): "objective_add / retire write",
    ("programs/services/program.py", "ProgramRevision"): "_snapshot creates a revision",
    (
        "programs/services/program.py",
        "ObjectiveReview",
    ): "objective_review writes (update_or_create)",
    ("programs/services/program.py", "objectives"): (
        "_snapshot copies the objectives into the new revision (a write); objective_add "
        "counts them for the position; graduation counts the unreviewed ones"
    ),
    ("programs/access.py", "Objective"): "get_objective_for: reach for the coach's review "
    "(a write); text and measure deferred",
    # Reminder scans ask about dates and existence (is the task still open, are the notes
    # written, are notes past retention); they never load the text (the task scan defers it).
    ("sessions/reminders.py", "ActionItem"): "due/done dates, .exists()",
    ("sessions/reminders.py", "ConversationNote"): "exists(), retention age",
    ("sessions/reminders.py", "CheckOut"): "completed_at exists()",
    # Managers through a variable, each of a model that holds no content (or no read of it).
    ("ethics/models.py", "cls.objects"): "PracticeScopeDefault.scope_for reads its own rows",
    ("ethics/selectors.py", "get_model"): "a part's default scope from its field, no rows",
    ("ethics/models.py", "get_model"): "PracticeScopeDefault.widest: a field default, no rows",
    ("ethics/management/commands/reencrypt_content.py", "model._base_manager"): (
        "key rotation: re-encrypts the raw tokens (Cast to text), never decrypts for a reader"
    ),
    # A message's file is written with the message and deleted with it; it is read only
    # through the gate (message_attachment_for, message_attachments_visible_to).
    ("messaging/services.py", "MessageAttachment"): "message_send creates, message_delete "
    "deletes; neither reads the bytes",
    ("coaching/accounts/adapter.py", "get_user_model().objects"): "the user model, no content",
    # intake (#17): the services write answers (a conditional update claims the response
    # or the rater's link); the reminder asks whether a response is still unanswered.
    ("intake/services.py", "Response"): "response_send get_or_create, response_submit update",
    ("intake/services.py", "RaterAnswer"): "rater_answer_submit creates the rater's answers",
    ("intake/reminders.py", "Response"): "exists() of an unanswered response",
    ("intake/services.py", "AlignmentMeeting"): "alignment_record: exists() of the stage",
    # The client's prepared export (#11): the service claims, writes, sweeps and deletes rows
    # (the build loads its row with the body deferred); the reminder asks whether it is still
    # ready (exists()). Read only through prepared_export_for.
    ("ethics/prepared_exports.py", "PreparedExport"): "claims, writes, sweeps, deletes",
    ("ethics/reminders.py", "PreparedExport"): "exists() of the export a reminder announces",
    ("programs/transitions/engine.py", "model.objects"): "locked: select_for_update of the "
    "proposal, contract or program row a transition changes; the row is written, never shown",
}


def _python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel or rel in GATE:
                continue
            yield rel, path


def _hits(source):
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("objects", "_default_manager", "_base_manager")
            and isinstance(node.value, ast.Name)
            and node.value.id in CONTENT_MODELS
        ):
            yield node.value.id, node.lineno
        elif isinstance(node, ast.Attribute) and node.attr in CONTENT_ACCESSORS:
            yield node.attr, node.lineno
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in ("objects", "_default_manager", "_base_manager")
            and not (isinstance(node.value, ast.Name) and node.value.id[:1].isupper())
        ):
            # A manager of a model held in a variable or computed: the scan cannot tell
            # which model it is, so it must be in the gate or on the allow-list.
            yield f"{ast.unparse(node.value)}.{node.attr}", node.lineno
        elif isinstance(node, ast.Call) and (
            (isinstance(node.func, ast.Attribute) and node.func.attr in RAW_SQL_CALLS)
            or (isinstance(node.func, ast.Name) and node.func.id in RAW_SQL_CALLS)
        ):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            yield name, node.lineno
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and any(table in node.value for table in CONTENT_TABLES)
        ):
            yield "content table in SQL text", node.lineno


def test_no_module_outside_the_gate_queries_content():
    found = []
    for rel, path in _python_files():
        for name, line in _hits(path.read_text()):
            if (rel, name) not in ALLOWED:
                found.append(f"{rel}:{line} uses {name}")
    assert not found, "Read content through ethics/access.py:\n" + "\n".join(found)


def test_the_scan_catches_a_direct_query():
    assert list(_hits("CheckOut.objects.filter(session=s)")) == [("CheckOut", 1)]
    assert list(_hits("x = session.check_out.take_aways")) == [("check_out", 1)]


def test_the_scan_catches_content_reached_through_a_variable_or_sql():
    assert list(_hits("model.objects.filter(code=c)")) == [("model.objects", 1)]
    assert list(_hits("type(part).objects.get(pk=1)")) == [("type(part).objects", 1)]
    assert ("get_model", 1) in list(_hits("apps.get_model('coaching_sessions', 'checkout')"))
    assert list(_hits("Session.objects.raw('SELECT 1')")) == [("raw", 1)]
    assert ("execute", 1) in list(_hits("cursor.execute(sql)"))
    table = sorted(CONTENT_TABLES)[0]
    probe = f"sql = 'SELECT * FROM {table}'"  # noqa: S608 (a string to scan, never run)
    assert list(_hits(probe)) == [("content table in SQL text", 1)]


def test_allow_list_has_no_stale_entries():
    used = set()
    for rel, path in _python_files():
        used |= {(rel, name) for name, _ in _hits(path.read_text())}
    assert set(ALLOWED) <= used, sorted(set(ALLOWED) - used)
