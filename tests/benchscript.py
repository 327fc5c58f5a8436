"""scripts/bench.py loaded as a module, for the tests of its parts (it is a script, not a
package)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench_module():
    spec = importlib.util.spec_from_file_location("bench_script", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
