import CGSL

/// Linear least squares through GSL (`gsl_multifit_linear`).
public enum LeastSquares {
    /// A fit that GSL rejected or that had nothing to fit.
    public struct FitError: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "least-squares fit failed: \(reason)" }
    }

    /// Solves `min_c sum_i w_i (y_i - sum_j X_ij c_j)^2`.
    ///
    /// With `relative` the weights are `1 / y_i^2`, minimising squared relative errors (timings
    /// span orders of magnitude); otherwise 1.
    ///
    /// - Parameters:
    ///   - rows: the design matrix, one row per observation, all of the same width.
    ///   - targets: `y`, one per row (positive when `relative`).
    /// - Returns: the coefficients `c`.
    /// - Throws: ``FitError`` for an empty or ragged system or a GSL failure.
    public static func fit(rows: [[Double]], targets: [Double], relative: Bool = true) throws(FitError) -> [Double] {
        guard let p = rows.first?.count, p > 0 else { throw FitError(reason: "no columns") }
        let n = rows.count
        guard n == targets.count, n >= p else { throw FitError(reason: "\(n) rows for \(p) coefficients") }
        guard rows.allSatisfy({ $0.count == p }) else { throw FitError(reason: "rows of different widths") }
        gsl_set_error_handler_off()
        guard let x = gsl_matrix_alloc(n, p), let y = gsl_vector_alloc(n), let c = gsl_vector_alloc(p),
            let cov = gsl_matrix_alloc(p, p), let work = gsl_multifit_linear_alloc(n, p)
        else { throw FitError(reason: "GSL allocation failed") }
        defer {
            gsl_matrix_free(x)
            gsl_vector_free(y)
            gsl_vector_free(c)
            gsl_matrix_free(cov)
            gsl_multifit_linear_free(work)
        }
        for i in 0..<n {
            let scale = relative ? 1 / targets[i] : 1
            guard scale.isFinite else { throw FitError(reason: "target \(targets[i]) at row \(i)") }
            for j in 0..<p { gsl_matrix_set(x, i, j, rows[i][j] * scale) }
            gsl_vector_set(y, i, targets[i] * scale)
        }
        var chisq = 0.0
        let status = gsl_multifit_linear(x, y, c, cov, &chisq, work)
        guard status == GSL_SUCCESS else { throw FitError(reason: "gsl_multifit_linear status \(status)") }
        return (0..<p).map { gsl_vector_get(c, $0) }
    }

    /// The `q` quantile (0...1) of `values` by nearest rank on the sorted values (0 when empty).
    public static func nearestRank(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = max(1, Int((q * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }
}
