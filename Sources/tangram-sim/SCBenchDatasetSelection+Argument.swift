import ArgumentParser
import Workloads

/// `--datasets full|fastkvzip|capacity`: parsed and checked by ArgumentParser, which lists the values.
extension SCBenchDatasetSelection: ExpressibleByArgument {}
