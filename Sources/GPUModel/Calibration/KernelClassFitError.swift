/// How well fitted coefficients reproduce the measurements of one kernel class: absolute
/// percentage errors `|predicted - measured| / measured x 100`.
public struct KernelClassFitError: Sendable, Hashable, Codable {
    /// Rows the coefficients were fitted to.
    public var fitRows: Int
    /// Median absolute % error on the fitted rows.
    public var fitMedianAbsPercent: Double
    /// 90th percentile absolute % error on the fitted rows.
    public var fitP90AbsPercent: Double
    /// Rows held out of the fit (0 without `--holdout-half`).
    public var heldOutRows: Int
    /// Median absolute % error on the held-out rows (`nil` without held-out rows).
    public var heldOutMedianAbsPercent: Double?
    /// 90th percentile absolute % error on the held-out rows.
    public var heldOutP90AbsPercent: Double?
    /// Median absolute % error of the spec-derived coefficients on all rows (before calibration).
    public var specDerivedMedianAbsPercent: Double?
    /// Whether the class's coefficients were fitted (false: measured but kept at their prior,
    /// `--skip`; the errors are then those of the prior).
    public var fitted: Bool = true

    public init(
        fitRows: Int, fitMedianAbsPercent: Double, fitP90AbsPercent: Double, heldOutRows: Int = 0,
        heldOutMedianAbsPercent: Double? = nil, heldOutP90AbsPercent: Double? = nil,
        specDerivedMedianAbsPercent: Double? = nil
    ) {
        self.fitRows = fitRows
        self.fitMedianAbsPercent = fitMedianAbsPercent
        self.fitP90AbsPercent = fitP90AbsPercent
        self.heldOutRows = heldOutRows
        self.heldOutMedianAbsPercent = heldOutMedianAbsPercent
        self.heldOutP90AbsPercent = heldOutP90AbsPercent
        self.specDerivedMedianAbsPercent = specDerivedMedianAbsPercent
    }
}
