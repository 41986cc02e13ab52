#!/usr/bin/env bash
# One complete GPU-machine session (docs/gpu.md): build the kernels, check them under
# compute-sanitizer, run `tangram-sim validate`, and time PyTorch SDPA over the same bytes (decode)
# and on the same prefill grid (the production prefill kernels).
#   Kernels/gpu_run.sh BINARY[.gz] OUT [extra validate options, e.g. --quick]
# Writes OUT/env.txt (GPU, clocks, nvcc, build log, compute-sanitizer log), OUT/validate.log,
# OUT/sdpa.csv, OUT/sdpa-prefill.csv and OUT/run/{checks.csv,measurements.csv,measurements.sqlite,
# summary.txt}: eight files, the most the device tool returns.
# SPDX-License-Identifier: GPL-3.0-or-later
set -uo pipefail
BIN="$1"
OUT="$2"
shift 2
mkdir -p "$OUT/run"
if [[ "$BIN" == *.gz ]]; then
    gunzip -c "$BIN" > /tmp/tangram-sim && chmod +x /tmp/tangram-sim && BIN=/tmp/tangram-sim
fi
export PATH="$PATH:/usr/local/cuda/bin"
export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}:/usr/local/cuda/lib64"
Q=name,driver_version,clocks.sm,clocks.mem,clocks.max.sm,clocks.max.mem,power.draw,temperature.gpu
{
    nvidia-smi
    nvidia-smi --query-gpu=$Q --format=csv
    nvcc --version
    echo "--- build"
    time bash Kernels/build.sh
} > "$OUT/env.txt" 2>&1 || { tail -40 "$OUT/env.txt"; exit 1; }
tail -3 "$OUT/env.txt"
timeout 300 compute-sanitizer --tool memcheck "$BIN" validate --kernels Kernels/libtangram_kernels.so \
    --checks-only --out /tmp/sanitizer-run > /tmp/sanitizer.txt 2>&1
echo "sanitizer exit $?: $(grep -E 'ERROR SUMMARY|checks:' /tmp/sanitizer.txt | tr '\n' ' ')"
{ echo "--- compute-sanitizer --tool memcheck (validate --checks-only)"; cat /tmp/sanitizer.txt; } >> "$OUT/env.txt"
"$BIN" validate --kernels Kernels/libtangram_kernels.so --out "$OUT/run" "$@" 2>&1 | tee "$OUT/validate.log" | grep -v '^measured [0-9]*/' | tail -60
STATUS=${PIPESTATUS[0]}
# The device tool returns at most eight files; predictions.csv is rebuilt from measurements.csv by
# `tangram-sim validate --from-csv`, so it stays behind.
mv -f "$OUT/run/predictions.csv" /tmp/ 2>/dev/null
nvidia-smi --query-gpu=$Q --format=csv >> "$OUT/env.txt" 2>&1
PYTHONUNBUFFERED=1 timeout 300 python3 Kernels/sdpa_compare.py "$OUT/sdpa.csv" "$OUT/sdpa-prefill.csv" 2>&1 | tail -60
echo "validate exit $STATUS"
exit "$STATUS"
