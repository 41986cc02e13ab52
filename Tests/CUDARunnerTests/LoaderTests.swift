import Testing

@testable import CUDARunner

@Suite struct LoaderTests {
    @Test func missingLibraryIsATypedError() {
        let path = "/nonexistent/folder/libtangram_missing.so"
        do {
            _ = try DynamicLibrary(path)
            Issue.record("opening \(path) should fail")
        } catch {
            #expect(error.library == path)
            #expect(error.symbol == nil)
            #expect(error.description.contains(path))
        }
    }

    @Test func missingSymbolIsATypedError() throws {
        // libc is loaded in every Linux process; it does not export a tk_ symbol.
        let libc = try DynamicLibrary("libc.so.6")
        #expect(libc.hasSymbol("strlen"))
        do {
            _ = try libc.function("tk_surely_not_exported", as: (@convention(c) () -> Void).self)
            Issue.record("binding a missing symbol should fail")
        } catch {
            #expect(error.symbol == "tk_surely_not_exported")
            #expect(error.description.contains("tk_surely_not_exported"))
        }
    }

    @Test func boundFunctionIsCallable() throws {
        let libc = try DynamicLibrary("libc.so.6")
        let strlen = try libc.function("strlen", as: (@convention(c) (UnsafePointer<CChar>) -> Int).self)
        #expect("tangram".withCString { strlen($0) } == 7)
    }

    @Test func kernelLibraryReportsAMissingFile() {
        do {
            _ = try KernelLibrary(path: "/nonexistent/libtangram_kernels.so")
            Issue.record("loading a missing kernel library should fail")
        } catch {
            guard case .load(let inner) = error else {
                Issue.record("expected .load, got \(error)")
                return
            }
            #expect(inner.library == "/nonexistent/libtangram_kernels.so")
        }
    }

    @Test func kernelLibraryReportsTheFirstMissingSymbol() {
        do {
            _ = try KernelLibrary(path: "libc.so.6")
            Issue.record("libc is no kernel library")
        } catch {
            guard case .load(let inner) = error else {
                Issue.record("expected .load, got \(error)")
                return
            }
            #expect(inner.symbol == "tk_abi_version")
        }
    }

    @Test func driverProbeOfAMissingLibraryIsAOneLineReason() {
        do {
            _ = try CUDADriverInfo.probe(libraryName: "libtangram-no-such-driver.so.1")
            Issue.record("probing a missing driver should fail")
        } catch {
            #expect(error.reason.contains("libtangram-no-such-driver.so.1"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func kernelLibraryErrorsClassifyRecoverability() {
        let oom = KernelLibraryError.call(function: "tk_decode_attention", status: 4, message: "cudaMalloc failed")
        #expect(oom.isOutOfMemory)
        #expect(oom.isRecoverable)
        let cuda = KernelLibraryError.call(function: "tk_decode_attention", status: 1, message: "illegal address")
        #expect(!cuda.isOutOfMemory)
        #expect(!cuda.isRecoverable)
        #expect(cuda.description.contains("status 1"))
    }
}
