"""scripts/bench_reminders.py writes its table into docs/benchmarks.md's "Reminder sending"
section, which other sections follow."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bench_reminders(monkeypatch):
    """The script, loaded once (it registers a Celery task by name)."""
    if "bench_reminders_script" in sys.modules:
        return sys.modules["bench_reminders_script"]
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))  # its `from bench import machine`
    spec = importlib.util.spec_from_file_location(
        "bench_reminders_script", ROOT / "scripts" / "bench_reminders.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules["bench_reminders_script"] = module
    return module


def test_a_run_lands_at_the_end_of_the_reminder_sending_section(monkeypatch):
    script = bench_reminders(monkeypatch)
    text = (
        "# Benchmarks\n\n## Reminder sending\n\nHow it measures.\n\n### Reminder sending: old\n\n"
        "| old run |\n\n## Scale 1.0 AFTER\n\n| pages |\n"
    )
    run = "\n### Reminder sending: new\n\n| new run |\n"
    assert script.into_section(text, run) == (
        "# Benchmarks\n\n## Reminder sending\n\nHow it measures.\n\n### Reminder sending: old\n\n"
        "| old run |\n\n### Reminder sending: new\n\n| new run |\n\n## Scale 1.0 AFTER\n\n"
        "| pages |\n"
    )


def test_a_file_without_the_section_gets_it_at_the_end(monkeypatch):
    script = bench_reminders(monkeypatch)
    run = "\n### Reminder sending: new\n"
    out = script.into_section("# Benchmarks\n\n## Pages\n\n| x |\n", run)
    assert out.startswith("# Benchmarks\n\n## Pages\n\n| x |\n\n## Reminder sending\n")
    assert out.endswith("(scripts/bench_reminders.py).\n\n### Reminder sending: new\n")
