import Foundation

/// Exact hypergeometric tail probabilities, computed in log space.
///
/// X counts successes in `draws` samples drawn without replacement from a population of `population` holding
/// `successes` successes.
public enum Hypergeometric {
    /// log C(n, k). For small min(k, n − k) the log of a product of ratios, which avoids the cancellation of three
    /// huge lgamma values (about 1e-9 relative error at n = 10⁶); lgamma otherwise.
    ///
    /// The ratios (n − m + i) / i are each at least 1 and at most n, so they are multiplied until the product nears
    /// 1e280 and its logarithm taken then: one logarithm per forty-odd ratios at n = 10⁶ instead of one per ratio
    /// (the union bound of a million-row audit computes thousands of these, up to 2,000 ratios each), with a
    /// rounding error no larger than the sum of logarithms had (a few ulps per ratio either way).
    public static func logChoose(_ n: Int, _ k: Int) -> Double {
        if k < 0 || k > n { return -.infinity }
        let m = min(k, n - k)
        if m <= 2000 {
            var sum = 0.0
            var product = 1.0
            let base = Double(n - m)
            for i in stride(from: 1, through: m, by: 1) {
                product *= (base + Double(i)) / Double(i)
                if product > 1e280 {
                    sum += log(product)
                    product = 1
                }
            }
            return sum + log(product)
        }
        return lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
    }

    /// log P(X = k). `logDrawings` is log C(population, draws) when the caller has it already.
    public static func logPMF(
        _ k: Int, population: Int, successes: Int, draws: Int, logDrawings: Double? = nil
    ) -> Double {
        logChoose(successes, k) + logChoose(population - successes, draws - k)
            - (logDrawings ?? logChoose(population, draws))
    }

    /// P(X ≥ k): the one-sided (upper) Fisher exact test p-value for an observed overlap `k`.
    ///
    /// Sums the tail away from the mode with the term ratio recurrence, stopping once terms fall below 1e-17 of
    /// the sum; when `k` is at or below the mode it returns 1 − P(X ≤ k − 1) instead, so both sides are short sums.
    ///
    /// `logDrawings` is ``logChoose(_:_:)`` of `population` and `draws` when the caller tests many `successes`
    /// against one population and draw count (ignored when the two are out of range and clamped).
    public static func upperTail(
        _ k: Int, population: Int, successes: Int, draws: Int, logDrawings: Double? = nil
    ) -> Double {
        let given = (population, draws)
        let population = max(0, population)
        let successes = min(max(0, successes), population)
        let draws = min(max(0, draws), population)
        let logDrawings = given == (population, draws) ? logDrawings : nil
        let low = max(0, draws + successes - population)
        let high = min(draws, successes)
        if k <= low { return 1 }
        if k > high { return 0 }
        let mode = Int((Double(draws + 1) * Double(successes + 1)) / Double(population + 2))
        if k > mode {
            return exp(logTailSum(from: k, step: 1, limit: high, population, successes, draws, logDrawings))
        }
        let lower = exp(logTailSum(from: k - 1, step: -1, limit: low, population, successes, draws, logDrawings))
        return min(1, max(0, 1 - lower))
    }

    /// log of Σ P(X = j) for j from `start` towards `limit` (inclusive), the terms decreasing in that direction.
    private static func logTailSum(
        from start: Int, step: Int, limit: Int, _ population: Int, _ successes: Int, _ draws: Int,
        _ logDrawings: Double?
    ) -> Double {
        let first = logPMF(start, population: population, successes: successes, draws: draws, logDrawings: logDrawings)
        if first == -.infinity { return -.infinity }
        var sum = 1.0  // relative to the first term
        var term = 1.0
        var j = start
        let n = Double(population), K = Double(successes), d = Double(draws)
        while j != limit {
            let jd = Double(j)
            if step > 0 {
                // P(j+1)/P(j) = (K−j)(d−j) / ((j+1)(N−K−d+j+1))
                term *= (K - jd) * (d - jd) / ((jd + 1) * (n - K - d + jd + 1))
            } else {
                // P(j−1)/P(j) = j(N−K−d+j) / ((K−j+1)(d−j+1))
                term *= jd * (n - K - d + jd) / ((K - jd + 1) * (d - jd + 1))
            }
            j += step
            sum += term
            if term < sum * 1e-17 { break }
        }
        return first + log(sum)
    }
}
