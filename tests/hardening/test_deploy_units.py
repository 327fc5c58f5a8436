"""The systemd units in deploy/ run what the README deploys and restart whatever exits."""

import configparser
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = {
    "coaching-web.service": "gunicorn coaching.wsgi",
    "coaching-worker.service": "celery -A coaching worker --loglevel=INFO",
    "coaching-beat.service": "celery -A coaching beat --loglevel=INFO",
}


def read_unit(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(ROOT / "deploy" / "systemd" / name)
    return parser


@pytest.mark.parametrize("name", sorted(UNITS))
def test_each_unit_restarts_its_process_always_and_without_limit(name):
    unit = read_unit(name)
    assert unit["Service"]["Restart"] == "always"
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"
    assert unit["Service"]["EnvironmentFile"] == "/etc/coaching/env"


@pytest.mark.parametrize(("name", "command"), sorted(UNITS.items()))
def test_each_unit_runs_the_command_the_readme_deploys(name, command):
    exec_start = read_unit(name)["Service"]["ExecStart"]
    assert re.sub(r"^\S*/", "", exec_start).startswith(command)
    assert command in (ROOT / "README.md").read_text()


def test_the_example_environment_names_the_production_settings():
    env = (ROOT / "deploy" / "systemd" / "env.example").read_text()
    assert "DJANGO_SETTINGS_MODULE=coaching.settings.prod" in env.splitlines()
    assert "EMAIL_TIMEOUT=20" in env.splitlines()
