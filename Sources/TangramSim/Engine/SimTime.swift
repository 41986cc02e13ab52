/// Simulated time.
///
/// The simulator counts time in integer nanoseconds from the start of the workload
/// (`Int64`, enough for 292 years). Integers make event ordering exact and runs reproducible:
/// no rounding differences can reorder two events. Inputs in seconds are converted once, with
/// ``nanoseconds(fromSeconds:)``, at the boundary.
public enum SimTime {
    /// Nanoseconds per second.
    public static let nanosecondsPerSecond: Int64 = 1_000_000_000

    /// The latest time a workload may reach, seconds: 9.0e9 s (about 285 years), a margin below
    /// `Int64.max` nanoseconds (9.22e9 s) for the service time that follows the last arrival.
    /// Arrivals, think times and observation windows beyond it are refused with
    /// ``SimulationError/beyondTimeRange(what:seconds:)`` instead of overflowing.
    public static let maximumSeconds = 9.0e9

    /// Converts seconds to nanoseconds, rounding to the nearest nanosecond.
    public static func nanoseconds(fromSeconds seconds: Double) -> Int64 {
        Int64((seconds * 1e9).rounded())
    }

    /// Converts nanoseconds to seconds.
    public static func seconds(fromNanoseconds ns: Int64) -> Double {
        Double(ns) / 1e9
    }
}
