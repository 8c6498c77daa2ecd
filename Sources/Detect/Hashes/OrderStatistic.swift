/// Order statistics of short arrays of finite Floats (pHash's 64 and PDQ's 256 coefficients), for the medians the
/// hashes threshold at.
enum OrderStatistic {
    /// The value `sorted(values)[k]` would hold. Deterministic (the middle element is the pivot).
    static func select(_ values: [Float], _ k: Int) -> Float {
        values.withUnsafeBufferPointer { select($0, k) }
    }

    /// `select(_:_:)` of a buffer, which is left as it is.
    ///
    /// A three-way partition without branches on the data: each value is written to the end of both the run
    /// below the pivot and the run above it, and each run's end moves on by its comparison, so no branch is
    /// mispredicted; the run that holds place `k` (or the pivot itself) comes next. Hoare's partition mispredicts
    /// about once a value on such short arrays: on pHash's 64 coefficients this takes half the time.
    static func select(_ values: UnsafeBufferPointer<Float>, _ k: Int) -> Float {
        precondition(values.indices.contains(k))
        let count = values.count
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * count) { scratch in
            var part = scratch.baseAddress!, below = part + count, above = below + count
            part.initialize(from: values.baseAddress!, count: count)
            var n = count, k = k
            while true {
                let pivot = part[n / 2]
                var belowCount = 0, aboveCount = 0
                for i in 0..<n {
                    let x = part[i]
                    below[belowCount] = x
                    belowCount &+= Int(unsafeBitCast(x < pivot, to: UInt8.self))
                    above[aboveCount] = x
                    aboveCount &+= Int(unsafeBitCast(x > pivot, to: UInt8.self))
                }
                if k < belowCount {
                    swap(&part, &below)
                    n = belowCount
                } else if k < n - aboveCount {
                    return pivot
                } else {
                    k -= n - aboveCount
                    swap(&part, &above)
                    n = aboveCount
                }
            }
        }
    }

    /// `sorted(values)[31]` and `sorted(values)[32]` of 64 values (pHash's median is their mean): the lower by
    /// `select`, the upper as the least value above it unless the lower one fills place 32 as well.
    static func middlePair(of64 values: UnsafePointer<Float>) -> (lower: Float, upper: Float) {
        let lower = select(UnsafeBufferPointer(start: values, count: 64), 31)
        var atMost = 0
        var upper = Float.infinity
        for i in 0..<64 {
            let x = values[i]
            atMost &+= Int(unsafeBitCast(x <= lower, to: UInt8.self))
            upper = x > lower && x < upper ? x : upper
        }
        return (lower, atMost > 32 ? lower : upper)
    }
}
