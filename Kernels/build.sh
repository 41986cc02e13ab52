#!/usr/bin/env bash
# Builds Kernels/libtangram_kernels.so for Hopper (sm_90a) with nvcc: the equivalent of
#   nvcc -O3 -arch=sm_90a -shared -Xcompiler -fPIC -o libtangram_kernels.so tk_*.cu -ldl
# with each .cu compiled in parallel. cudart is linked statically (nvcc's default), so the library
# needs only the driver's libcuda.so.1 at run time; cuBLAS and NVML are opened with dlopen when a
# measurement needs them.
#   Kernels/build.sh                            # nvcc from PATH, $NVCC, or /usr/local/cuda/bin
#   NVCC_FLAGS="-Xptxas -v" Kernels/build.sh    # extra flags, e.g. the register/spill report
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
cd "$(dirname "$0")"
NVCC="${NVCC:-nvcc}"
if ! command -v "$NVCC" >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then NVCC=/usr/local/cuda/bin/nvcc; fi
# The -gencode form of -arch=sm_90a: sm_90a machine code only (HOPPER.md: the shorthand can add
# a plain sm_90 pass).
ARCH="-gencode=arch=compute_90a,code=sm_90a"
OBJ="$(mktemp -d)"
trap 'rm -rf "$OBJ"' EXIT
pids=()
for src in tk_device.cu tk_decode.cu tk_prefill.cu tk_compaction.cu tk_gemm.cu; do
    # shellcheck disable=SC2086
    "$NVCC" -O3 -std=c++17 $ARCH -Xcompiler -fPIC -lineinfo ${NVCC_FLAGS:-} -c "$src" -o "$OBJ/${src%.cu}.o" &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
# shellcheck disable=SC2086
"$NVCC" $ARCH -shared ${NVCC_FLAGS:-} -o libtangram_kernels.so "$OBJ"/*.o -ldl
echo "built $(pwd)/libtangram_kernels.so"
