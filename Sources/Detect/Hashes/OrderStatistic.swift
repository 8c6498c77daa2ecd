/// The k-th smallest of a few hundred finite floats, without sorting them all (the hashes need one or two
/// medians per view, and a full sort was a visible share of feature extraction).
enum OrderStatistic {
    /// The value `sorted(values)[k]` would hold; `values` is reordered so that every element before index k is
    /// at most that value and every element after it at least that value. Deterministic (middle-element pivots).
    static func select(_ values: inout [Float], _ k: Int) -> Float {
        values.withUnsafeMutableBufferPointer { select($0, k) }
    }

    /// `select(_:_:)` in place in a buffer.
    static func select(_ a: UnsafeMutableBufferPointer<Float>, _ k: Int) -> Float {
        precondition(a.indices.contains(k))
        var lo = 0, hi = a.count - 1
        while lo < hi {
            let pivot = a[lo + (hi - lo) / 2]
            var i = lo, j = hi
            // Hoare partition: afterwards lo...j <= pivot <= i...hi.
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                hi = j
            } else if k >= i {
                lo = i
            } else {
                return a[k]
            }
        }
        return a[k]
    }
}
