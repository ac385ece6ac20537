#!/usr/bin/env bash
# Fetch, on this machine, the wheels the GPU machine's image lacks (pandera and what it needs)
# into .whl/ for `run.sh` there. That image has Python 3.12, torch, pandas, pyarrow, PyYAML and
# tabulate, and cannot reach a package index. Optional: run.sh works without them (pandera's
# checks of the rows are then skipped).
#
#   bash benchmarks/device/wheels.sh        # once, in the repository root
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
grep -qx '/.whl/' .git/info/exclude 2>/dev/null || echo '/.whl/' >> .git/info/exclude
mkdir -p .whl
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
  -d .whl pandera typeguard pydantic pydantic-core annotated-types typing-inspection typing-extensions
ls .whl
