// CUDARunner: loads the kernel library with dlopen; see docs/gpu.md.
