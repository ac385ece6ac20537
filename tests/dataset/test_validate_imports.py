"""`accel validate` is the pre-commit hook: it must not pay for pandas, pandera or pint."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ("pandas", "pandera", "pint", "pyarrow")

PROBE = f"""
import json, sys
from harness.cli import main
code = main(sys.argv[1:])
heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))
print(json.dumps({{"code": code, "heavy": heavy}}), file=sys.stderr)
"""


def _validate(*args):
    r = subprocess.run([sys.executable, "-c", PROBE, "validate", *map(str, args)], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    return json.loads(r.stderr.strip().splitlines()[-1])


def test_validate_all_and_one_file_import_no_pandas_pandera_or_pint():
    one = next((ROOT / "specs" / "accelerators").rglob("*.yaml"))
    for args in ((), (one,), ("--strict", "--format", "github")):
        result = _validate(*args)
        assert result == {"code": 0, "heavy": []}, (args, result)


def test_the_table_checks_are_there_on_request():
    result = _validate("--tables")
    assert result["code"] == 0 and {"pandas", "pandera"} <= set(result["heavy"])
