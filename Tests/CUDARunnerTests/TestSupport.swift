import CTangramKernelABI

/// A zeroed C result with check_rel_error -1 (not checked), as the library's reset_result leaves it.
func tk_result_for_test() -> tk_result {
    var r = tk_result()
    r.check_rel_error = -1
    return r
}
