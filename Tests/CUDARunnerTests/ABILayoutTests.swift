import CTangramKernelABI
import Testing

@testable import CUDARunner

/// The struct layouts Swift imports must match what nvcc compiles from the same header. Expected
/// sizes and offsets are worked out by hand from the C layout rules (fields in order, each aligned
/// to its size, the struct padded to its largest alignment); the header's static asserts pin the
/// same sizes on the C side.
@Suite struct ABILayoutTests {
    @Test func abiVersionIsTwo() {
        // 2: tk_decode_planner and TK_PLANNER_CALLS_PER_SAMPLE were added.
        #expect(TK_ABI_VERSION == 2)
        #expect(TK_PLANNER_CALLS_PER_SAMPLE == 16)
        #expect(KernelLibrary.requiredSymbols.contains("tk_decode_planner"))
    }

    @Test func deviceInfoLayout() {
        // char name[128] at 0; ten int32 at 128..<168; two uint64 at 168, 176; char[64] at 184.
        #expect(MemoryLayout<tk_device_info>.size == 248)
        #expect(MemoryLayout<tk_device_info>.offset(of: \tk_device_info.sm_count) == 128)
        #expect(MemoryLayout<tk_device_info>.offset(of: \tk_device_info.reserved) == 164)
        #expect(MemoryLayout<tk_device_info>.offset(of: \tk_device_info.total_memory_bytes) == 168)
        #expect(MemoryLayout<tk_device_info>.offset(of: \tk_device_info.l2_bytes) == 176)
        #expect(MemoryLayout<tk_device_info>.offset(of: \tk_device_info.driver_string) == 184)
    }

    @Test func timingOptionsLayout() {
        #expect(MemoryLayout<tk_timing_options>.size == 32)
        #expect(MemoryLayout<tk_timing_options>.offset(of: \tk_timing_options.rotate_bytes) == 8)
        #expect(MemoryLayout<tk_timing_options>.offset(of: \tk_timing_options.seed) == 16)
        #expect(MemoryLayout<tk_timing_options>.offset(of: \tk_timing_options.check) == 24)
        #expect(MemoryLayout<tk_timing_options>.offset(of: \tk_timing_options.time) == 28)
    }

    @Test func resultLayout() {
        // Six doubles (0..<48), four uint64 (48..<80), six 32-bit fields (80..<104).
        #expect(MemoryLayout<tk_result>.size == 104)
        #expect(MemoryLayout<tk_result>.offset(of: \tk_result.check_rel_error) == 40)
        #expect(MemoryLayout<tk_result>.offset(of: \tk_result.bytes) == 48)
        #expect(MemoryLayout<tk_result>.offset(of: \tk_result.nonfinite_outputs) == 72)
        #expect(MemoryLayout<tk_result>.offset(of: \tk_result.ctas) == 80)
        #expect(MemoryLayout<tk_result>.offset(of: \tk_result.mem_clock_mhz) == 100)
    }

    @Test func problemLayouts() {
        #expect(MemoryLayout<tk_copy_problem>.size == 8)
        #expect(MemoryLayout<tk_decode_problem>.size == 32)
        #expect(MemoryLayout<tk_decode_problem>.offset(of: \tk_decode_problem.split_mode) == 24)
        #expect(MemoryLayout<tk_decode_problem>.offset(of: \tk_decode_problem.splits) == 28)
        #expect(MemoryLayout<tk_prefill_problem>.size == 32)
        #expect(MemoryLayout<tk_prefill_problem>.offset(of: \tk_prefill_problem.history_tokens) == 24)
        #expect(MemoryLayout<tk_compaction_problem>.size == 32)
        #expect(MemoryLayout<tk_compaction_problem>.offset(of: \tk_compaction_problem.context_tokens) == 24)
        #expect(MemoryLayout<tk_gemm_problem>.size == 16)
    }

    @Test func splitModeValuesMatchTheHeader() {
        #expect(SplitMode.uniform.abiValue == 0)
        #expect(SplitMode.planner.abiValue == 1)
        #expect(SplitMode.aheadOfTime.abiValue == 2)
    }

    @Test func deviceInfoStringsStopAtTheFirstNul() {
        var info = tk_device_info()
        withUnsafeMutableBytes(of: &info.name) { raw in
            for (i, b) in Array("NVIDIA H200".utf8).enumerated() { raw[i] = b }
        }
        info.sm_count = 132
        info.compute_major = 9
        let device = DeviceInfo(info)
        #expect(device.name == "NVIDIA H200")
        #expect(device.driverString == "")
        #expect(device.smCount == 132)
        #expect(device.computeCapability == "9.0")
    }
}
