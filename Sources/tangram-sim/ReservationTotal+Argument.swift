import ArgumentParser
import TangramSim

/// `--reservation kept|headroom`: parsed and checked by ArgumentParser, which lists the values.
extension ReservationTotal: ExpressibleByArgument {}
