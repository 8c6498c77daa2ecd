/// Benjamini–Hochberg false-discovery-rate adjustment.
public enum BenjaminiHochberg {
    /// q-values for `pValues`, in the same order: q_(i) = min over j ≥ i of p_(j)·m/j, capped at 1, where (i) is
    /// the rank in ascending p (ties broken by position, which does not change the result).
    public static func qValues(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        if m == 0 { return [] }
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] || (pValues[$0] == pValues[$1] && $0 < $1) }
        var q = [Double](repeating: 1, count: m)
        var running = 1.0
        for rank in stride(from: m, through: 1, by: -1) {
            let index = order[rank - 1]
            running = min(running, pValues[index] * Double(m) / Double(rank))
            q[index] = min(1, running)
        }
        return q
    }
}
