/* The C ABI between Kernels/*.cu (built by nvcc on a GPU machine) and Sources/CUDARunner. */
#ifndef TANGRAM_KERNEL_ABI_H
#define TANGRAM_KERNEL_ABI_H
#include <stdint.h>
#define TK_ABI_VERSION 0u
#endif
