import ArgumentParser
import GPUModel

/// `--reclaim-writeback batched|per-cluster`: parsed and checked by ArgumentParser, which lists the values.
extension ReclaimWriteback: ExpressibleByArgument {}
