import Foundation

/// The lists of an IVF search and a fast way to find a row's nearest ones: two-level spherical k-means.
///
/// About √k *groups* are trained on the sample, then each group's sample rows are split into that group's share of
/// the k lists. A row's nearest lists are looked for among the lists of its `groupProbes` nearest groups only, so
/// assigning it costs about (1 + groupProbes)·√k dot products instead of k. That keeps the lists a fixed size as
/// the input grows (k ∝ N) without making assignment quadratic: per row, the search's cost then grows with √(N / list
/// size) in the assignment and not at all in the list scans, where a flat quantizer with √N lists grows with √N in
/// both.
struct CoarseQuantizer {
    let dimension: Int
    /// Unit group centroids, one after the other.
    let groups: [Float]
    /// Unit list centroids, grouped: group `g`'s lists are `listStart[g]..<listStart[g + 1]`.
    let lists: [Float]
    let listStart: [Int]
    /// Groups whose lists each row searches.
    let groupProbes: Int

    var groupCount: Int { listStart.count - 1 }
    var listCount: Int { listStart[groupCount] }

    /// Trains about `listCount` lists on `rows` unit rows of `training` (fewer when a group has fewer rows than
    /// lists), by `iterations` Lloyd steps at each level.
    init(training: [Float], rows: Int, dimension d: Int, listCount: Int, iterations: Int, groupProbes: Int) {
        dimension = d
        self.groupProbes = groupProbes
        let groupTarget = max(1, min(rows, Int(Double(listCount).squareRoot().rounded())))
        let top = training.withUnsafeBufferPointer {
            Self.sphericalKMeans($0.baseAddress!, rows: rows, k: groupTarget, d: d, iterations: iterations)
        }
        let owner = training.withUnsafeBufferPointer {
            Self.nearestCentroid($0.baseAddress!, rows: rows, centroids: top, k: groupTarget, d: d)
        }
        var members = [[Int]](repeating: [], count: groupTarget)
        for row in 0..<rows { members[Int(owner[row])].append(row) }
        // Each group's share of the lists; groups left without rows are dropped.
        let parts = parallelMap(groupTarget) { g -> [Float] in
            let count = members[g].count
            guard count > 0 else { return [] }
            let k = min(count, max(1, Int((Double(listCount) * Double(count) / Double(rows)).rounded())))
            var sample = [Float](repeating: 0, count: count * d)
            for (i, row) in members[g].enumerated() {
                for x in 0..<d { sample[i * d + x] = training[row * d + x] }
            }
            return sample.withUnsafeBufferPointer {
                Self.sphericalKMeans($0.baseAddress!, rows: count, k: k, d: d, iterations: iterations)
            }
        }
        var groups: [Float] = []
        var lists: [Float] = []
        var listStart = [0]
        for g in 0..<groupTarget where !parts[g].isEmpty {
            groups += top[(g * d)..<((g + 1) * d)]
            lists += parts[g]
            listStart.append(listStart.last! + parts[g].count / d)
        }
        self.groups = groups
        self.lists = lists
        self.listStart = listStart
    }

    /// For each of `count` unit rows, the indices of its `keep` most similar lists among those of its nearest
    /// groups, best first; -1 fills the places of a row whose groups hold fewer than `keep` lists.
    func nearestLists(_ rows: UnsafePointer<Float>, count: Int, keep: Int) -> [Int32] {
        let d = dimension
        if groupCount == 1 {
            return Self.nearest(rows, rows: count, centroids: lists, k: listCount, d: d, keep: keep)
        }
        let probes = min(groupProbes, groupCount)
        let nearGroups = Self.nearest(rows, rows: count, centroids: groups, k: groupCount, d: d, keep: probes)
        // The rows that search each group, in row order.
        var searchers = [[Int]](repeating: [], count: groupCount)
        for i in 0..<count {
            for r in 0..<probes { searchers[Int(nearGroups[i * probes + r])].append(i) }
        }
        var best = TopLists(rows: count, keep: keep)
        var gathered: [Float] = []
        var scores: [Float] = []
        // Groups in order and their lists in order: candidates arrive by ascending list index, so ties keep the
        // smaller index whatever the row's group order.
        for g in 0..<groupCount where !searchers[g].isEmpty {
            let m = searchers[g].count
            let first = listStart[g]
            let k = listStart[g + 1] - first
            if gathered.count < m * d { gathered = [Float](repeating: 0, count: m * d) }
            if scores.count < m * k { scores = [Float](repeating: 0, count: m * k) }
            gathered.withUnsafeMutableBufferPointer { out in
                for (i, row) in searchers[g].enumerated() {
                    (out.baseAddress! + i * d).update(from: rows + row * d, count: d)
                }
            }
            gathered.withUnsafeBufferPointer { a in
                lists.withUnsafeBufferPointer { b in
                    scores.withUnsafeMutableBufferPointer { c in
                        BLAS.multiplyTransposed(
                            m: m, n: k, k: d, a.baseAddress!, lda: d, b.baseAddress! + first * d, ldb: d,
                            into: c.baseAddress!, ldc: k)
                    }
                }
            }
            for (i, row) in searchers[g].enumerated() {
                for j in 0..<k { best.offer(scores[i * k + j], index: Int32(first + j), row: row) }
            }
        }
        return best.indices
    }

    /// Spherical k-means: `k` unit centroids of `rows` unit rows, started from rows spread over the input (which the
    /// caller has shuffled), `iterations` Lloyd steps. An empty cluster restarts at a row chosen by its index.
    static func sphericalKMeans(_ training: UnsafePointer<Float>, rows: Int, k: Int, d: Int, iterations: Int) -> [Float] {
        var centroids = [Float](repeating: 0, count: k * d)
        for c in 0..<k {
            let source = (c * rows) / k
            for x in 0..<d { centroids[c * d + x] = training[source * d + x] }
        }
        for _ in 0..<iterations {
            let assignment = nearestCentroid(training, rows: rows, centroids: centroids, k: k, d: d)
            var sums = [Float](repeating: 0, count: k * d)
            var counts = [Int](repeating: 0, count: k)
            sums.withUnsafeMutableBufferPointer { sums in
                for i in 0..<rows {
                    let c = Int(assignment[i])
                    counts[c] += 1
                    let sum = sums.baseAddress! + c * d
                    let row = training + i * d
                    for x in 0..<d { sum[x] += row[x] }
                }
            }
            for c in 0..<k {
                var norm: Float = 0
                for x in 0..<d { norm += sums[c * d + x] * sums[c * d + x] }
                if counts[c] == 0 || norm == 0 {
                    let source = (c * 7919 + 13) % rows
                    for x in 0..<d { centroids[c * d + x] = training[source * d + x] }
                } else {
                    let scale = 1 / norm.squareRoot()
                    for x in 0..<d { centroids[c * d + x] = sums[c * d + x] * scale }
                }
            }
        }
        return centroids
    }

    /// Each of `count` unit rows' most similar of `k` centroids, computed in parallel blocks (each block's result is
    /// the same whatever thread computes it).
    static func nearestCentroid(
        _ rows: UnsafePointer<Float>, rows count: Int, centroids: [Float], k: Int, d: Int
    ) -> [Int32] {
        let block = 8192
        nonisolated(unsafe) let input = rows
        return parallelMap((count + block - 1) / block) { b in
            let start = b * block
            return nearest(input + start * d, rows: min(block, count - start), centroids: centroids, k: k, d: d, keep: 1)
        }.flatMap { $0 }
    }

    /// For each of `count` unit rows, the indices of its `keep` most similar of `k` centroids, best first
    /// (-1 where `k < keep`).
    static func nearest(
        _ rows: UnsafePointer<Float>, rows count: Int, centroids: [Float], k: Int, d: Int, keep: Int
    ) -> [Int32] {
        var best = TopLists(rows: count, keep: keep)
        let block = 1024
        var scores = [Float](repeating: 0, count: min(block, count) * k)
        var start = 0
        while start < count {
            let m = min(block, count - start)
            centroids.withUnsafeBufferPointer { b in
                scores.withUnsafeMutableBufferPointer { c in
                    BLAS.multiplyTransposed(
                        m: m, n: k, k: d, rows + start * d, lda: d, b.baseAddress!, ldb: d, into: c.baseAddress!, ldc: k)
                }
            }
            scores.withUnsafeBufferPointer { c in
                for i in 0..<m {
                    let row = c.baseAddress! + i * k
                    for j in 0..<k { best.offer(row[j], index: Int32(j), row: start + i) }
                }
            }
            start += m
        }
        return best.indices
    }
}

/// The `keep` best-scoring candidates of each row, best first. A candidate replaces another only with a strictly
/// greater score, so among equal scores the one offered first stays: offered in ascending index order, ties keep
/// the smaller index and runs agree.
struct TopLists {
    let keep: Int
    private(set) var indices: [Int32]
    private var scores: [Float]

    init(rows: Int, keep: Int) {
        self.keep = keep
        indices = [Int32](repeating: -1, count: rows * keep)
        scores = [Float](repeating: -.infinity, count: rows * keep)
    }

    @inline(__always) mutating func offer(_ score: Float, index: Int32, row: Int) {
        let base = row * keep
        guard score > scores[base + keep - 1] else { return }
        var r = keep - 1
        while r > 0 && score > scores[base + r - 1] {
            scores[base + r] = scores[base + r - 1]
            indices[base + r] = indices[base + r - 1]
            r -= 1
        }
        scores[base + r] = score
        indices[base + r] = index
    }
}
