/// What the static budgets `b_h = mu_h + alpha sigma_h` of a reserved-budget policy add up to.
///
/// Budget Reservation fixes how many tokens each head keeps; the kept ratio fixes how many the
/// request keeps in all. Two readings exist, and the simulator models both:
/// - ``kept`` (default): the reservations spend exactly the kept ratio, the same total as uniform
///   and dynamic compression at that ratio; `b_h` only decides how the total is shared (heads
///   with unstable retention get headroom, taken from steady heads). This is the total Tangram's
///   sources state: the project page's headline "4x memory savings" (the kept ratio's own total
///   at 25 % kept) and the released code's budget rule ("`sum(cap * page_group_size) ==
///   sum(member demand) == the budget`", aiha-lab/TANGRAM `tests/v1/attention/test_budget_scope.py`).
/// - ``headroom``: every head reserves its `b_h` as is, so the request reserves more than the kept
///   ratio (about twice at 25 % kept with the measured profiles, whose per-head deviation is
///   comparable to the mean): a safety margin paid in memory.
public enum ReservationTotal: String, Sendable, Hashable, CaseIterable {
    /// Reservations rescaled so that their mean is the kept middle fraction.
    case kept
    /// Reservations `clamp(mu_h + alpha sigma_h, 0, 1)` as they are.
    case headroom
}
