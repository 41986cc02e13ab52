/// Closed forms for attention work.
public enum AttentionWork {
    /// Query-key pairs of a prefill chunk over positions `start..<end` in a layer with window `w`:
    /// the sum over queries i in start+1...end of min(i, w).
    public static func slidingPairs(start: Int, end: Int, window w: Int) -> Double {
        if end <= w { return Double(start + 1 + end) * Double(end - start) / 2 }
        if start >= w { return Double(end - start) * Double(w) }
        return Double(start + 1 + w) * Double(w - start) / 2 + Double(end - w) * Double(w)
    }
}
