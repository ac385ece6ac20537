#!/usr/bin/env bash
# The whole device check in one go, for a machine with an accelerator: the core-set probe in
# float32, bfloat16 and float16, then the GEMM and bandwidth suites beside the datasheet peak.
# Runs from the repository root without installing the project (PYTHONPATH), so it also works
# where nothing can be fetched; wheels in .whl/ (benchmarks/device/wheels.sh) are unpacked first.
#
#   bash benchmarks/device/run.sh [DEVICE] [OUTDIR]     # DEVICE: cuda (default), xpu, npu, cpu, ...
#
# The new runs are written to a scratch store and packed, with the logs and a summary, into
# OUTDIR (default: $OUT, where the device tool collects files; else a new temporary folder):
#   runs.tar      the probe and bench run folders, hive-partitioned as under results/
#   summary.txt   `accel runs --summary` of both runs: pass rate by status, fraction of peak
#   probe.log, bench.log, env.txt
# Back on the development machine: `tar -C results -xf OUTDIR/runs.tar`, then commit results/.
# ACCEL_GIT_SHA names the commit when the copy carries no .git folder; PROBE_ARGS and BENCH_ARGS
# add options to the two commands, split into words, never globbed (later options win:
# PROBE_ARGS="--ops conv*,*pool* --dtypes float32").
set -uo pipefail
device="${1:-cuda}"
outdir="${2:-${OUT:-$(mktemp -d)}}"
mkdir -p "$outdir"
py="${PYTHON:-python3}"
if compgen -G ".whl/*.whl" > /dev/null; then
  if "$py" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
  then export PYTHONPATH="/tmp/site:${PYTHONPATH:-}"
  else echo "run.sh: the wheels in .whl/ did not install; going on without them" >&2
  fi
fi
export PYTHONPATH="$PWD:${PYTHONPATH:-}" PYTHONUNBUFFERED=1
store="$(mktemp -d)"
trap 'rm -rf "$store"' EXIT
{ date -u; uname -a; nvidia-smi 2>&1 || true; "$py" -c 'import torch, sys; print(sys.version); print("torch", torch.__version__)'; } \
  > "$outdir/env.txt" 2>&1
set -f  # PROBE_ARGS / BENCH_ARGS are split into words on purpose, but never globbed
# shellcheck disable=SC2086
"$py" -m harness.cli probe --device "$device" --dtypes float32,bfloat16,float16 --timeout 60 --no-progress \
  --out "$store/probes" ${PROBE_ARGS:-} 2>&1 | tee "$outdir/probe.log"
probe_rc=${PIPESTATUS[0]}
# shellcheck disable=SC2086
"$py" -m harness.cli bench --device "$device" --out "$store/bench" ${BENCH_ARGS:-} 2>&1 | tee "$outdir/bench.log"
bench_rc=${PIPESTATUS[0]}
set +f
"$py" -m harness.cli runs --root "$store" --summary 2>&1 | tee "$outdir/summary.txt"
tar -C "$store" -cf "$outdir/runs.tar" probes bench 2>/dev/null || tar -C "$store" -cf "$outdir/runs.tar" .
echo "run.sh: probe exit $probe_rc, bench exit $bench_rc; files in $outdir"
[ "$probe_rc" -eq 0 ] && [ "$bench_rc" -eq 0 ]
