internal import CPrefetch
internal import CXXHash
import Foundation

/// Finds near-identical captions (template captions: one fixed phrase with a few words swapped) with MinHash and
/// LSH banding. The result is caption clusters, reported apart from image clusters.
///
/// Shingles are the normalized tokens of ``CaptionTerms`` (stopwords out) and their adjacent pairs. Each token is
/// hashed once with `XXH3_64bits_withSeed(seed)` (a pair's hash mixes its two tokens' hashes); the `numHashes` permutations are that hash mixed with a
/// per-permutation key (SplitMix64 finalizer), which keeps a signature to one xxhash call per shingle. Signatures
/// keep the low 16 bits of each minimum (b-bit MinHash: two different minima agree by chance with
/// probability 2⁻¹⁶), so a million captions need 128 bytes each.
///
/// Candidates are captions that agree on all `rows` values of any of the `bands` bands (found by sorting band keys,
/// one band at a time); a candidate joins an earlier caption of its bucket (up to four are tried per bucket) when
/// their estimated Jaccard similarity is ≥ `minSimilarity`. Groups are the connected components, members ascending, ordered by their first member.
///
/// Defaults: 32 bands × 2 rows (64 hashes) and similarity ≥ 0.4. A five-word template with one word swapped has
/// Jaccard 0.5 over unigram+bigram shingles and becomes a candidate with probability 0.9999 per pair; on the
/// planted-trigger sets (scripts/make-trigger-eval.py, 3 seeds, 192 template captions) this grouped 192/192, where
/// 21 × 3 grouped 189 and 16 × 4 grouped 184. Unrelated pairs that collide in a band are rejected by the check.
public struct CaptionMinHash: Sendable, Hashable {
    public var bands: Int
    public var rows: Int
    public var minSimilarity: Double
    public var seed: UInt64

    public init(bands: Int = 32, rows: Int = 2, minSimilarity: Double = 0.4, seed: UInt64 = 0x6375_7261_7465) {
        self.bands = max(1, bands)
        self.rows = max(1, rows)
        self.minSimilarity = minSimilarity
        self.seed = seed
    }

    public var numHashes: Int { bands * rows }

    /// The signature of `caption`, or nil when it has no tokens.
    public func signature(of caption: String) -> [UInt16]? {
        var scratch = TokenScratch()
        CaptionTerms.tokenize(caption, into: &scratch)
        var minima = [UInt64](repeating: 0, count: numHashes)
        guard computeMinima(scratch, into: &minima) else { return nil }
        return minima.map { UInt16(truncatingIfNeeded: $0) }
    }

    /// Fills `minima` (numHashes long) with the MinHash minima of the tokens in `scratch`; false when there are none.
    func computeMinima(_ scratch: TokenScratch, into minima: inout [UInt64]) -> Bool {
        let count = scratch.count
        if count == 0 { return false }
        let hashes = numHashes
        minima.withUnsafeMutableBufferPointer { minima in
            for index in 0..<hashes { minima[index] = .max }
            CaptionMinHash.permutationKeys.withUnsafeBufferPointer { keys in
                scratch.bytes.withUnsafeBufferPointer { bytes in
                    var previous: UInt64 = 0
                    for index in 0..<count {
                        let token = UnsafeBufferPointer(rebasing: bytes[scratch.starts[index]..<scratch.ends[index]])
                        let unigram = TermHash.hash(token, seed: seed)
                        CaptionMinHash.update(minima, keys, unigram)
                        if index > 0 {
                            // The bigram shingle: an ordered combination of the two tokens' hashes.
                            CaptionMinHash.update(
                                minima, keys, CaptionMinHash.mix(previous &* 0x9E37_79B9_7F4A_7C15 ^ unigram))
                        }
                        previous = unigram
                    }
                }
            }
        }
        return true
    }

    @inline(__always)
    static func update(
        _ minima: UnsafeMutableBufferPointer<UInt64>, _ keys: UnsafeBufferPointer<UInt64>, _ base: UInt64
    ) {
        for index in 0..<minima.count {
            let value = mix(base ^ keys[index & 255])
            if value < minima[index] { minima[index] = value }
        }
    }

    /// Estimated Jaccard similarity of two signatures: the share of equal positions.
    public static func similarity(_ a: [UInt16], _ b: [UInt16]) -> Double {
        precondition(a.count == b.count, "signatures of different lengths")
        var equal = 0
        for index in 0..<a.count where a[index] == b[index] { equal += 1 }
        return Double(equal) / Double(max(1, a.count))
    }

    /// Groups of sample ordinals (the position in `captions`) whose captions are near-identical; only groups of ≥ 2.
    /// Signatures are computed on all cores, runs of captions at a time, each run straight into its place in one
    /// buffer (a copy per run doubled the stage's memory: 128 MB more at 1M captions); the groups do not depend on it.
    public func groups(of captions: [String]) -> [[Int]] {
        let run = 8192
        let hashes = numHashes
        var signatures = [UInt16](repeating: 0, count: captions.count * hashes)
        var hasSignature = [Bool](repeating: false, count: captions.count)
        signatures.withUnsafeMutableBufferPointer { signatures in
            hasSignature.withUnsafeMutableBufferPointer { hasSignature in
                // Each run writes only its own captions' places.
                nonisolated(unsafe) let signatures = signatures
                nonisolated(unsafe) let hasSignature = hasSignature
                _ = parallelMap((captions.count + run - 1) / run) { part in
                    var scratch = TokenScratch()
                    var minima = [UInt64](repeating: 0, count: hashes)
                    for ordinal in (part * run)..<min(captions.count, (part + 1) * run) {
                        CaptionTerms.tokenize(captions[ordinal], into: &scratch)
                        guard computeMinima(scratch, into: &minima) else { continue }
                        hasSignature[ordinal] = true
                        for index in 0..<hashes {
                            signatures[ordinal * hashes + index] = UInt16(truncatingIfNeeded: minima[index])
                        }
                    }
                }
            }
        }
        var finder = Finder(self)
        finder.signatures = signatures
        finder.hasSignature = hasSignature
        return finder.groups()
    }

    /// Streaming form of ``CaptionMinHash/groups(of:)``: add captions in sample order, then read the groups.
    ///
    /// Memory: `numHashes` × 2 bytes per caption (128 bytes with the defaults) while adding; banding sorts one band
    /// at a time (16 bytes per caption).
    public struct Finder {
        let parameters: CaptionMinHash
        fileprivate var signatures: [UInt16] = []
        fileprivate var hasSignature: [Bool] = []
        private var scratch = TokenScratch()
        private var minima: [UInt64]

        public init(_ parameters: CaptionMinHash) {
            self.parameters = parameters
            minima = [UInt64](repeating: 0, count: parameters.numHashes)
        }

        /// Adds the next caption.
        public mutating func add(_ caption: String) {
            CaptionTerms.tokenize(caption, into: &scratch)
            let present = parameters.computeMinima(scratch, into: &minima)
            hasSignature.append(present)
            for value in minima { signatures.append(present ? UInt16(truncatingIfNeeded: value) : 0) }
        }

        /// Adds the next caption by its signature computed earlier (``CaptionMinHash/signature(of:)``, e.g. from the
        /// feature cache); nil for a caption without tokens. A signature of the wrong length counts as nil.
        public mutating func add(signature: [UInt16]?) {
            if let signature, signature.count == parameters.numHashes {
                hasSignature.append(true)
                signatures.append(contentsOf: signature)
            } else {
                hasSignature.append(false)
                signatures.append(contentsOf: repeatElement(0, count: parameters.numHashes))
            }
        }

        /// Groups of ≥ 2 ordinals, members ascending, ordered by first member.
        public func groups() -> [[Int]] {
            let count = hasSignature.count
            let hashes = parameters.numHashes
            let rows = parameters.rows
            var parent = (0..<count).map { Int32($0) }
            func find(_ x: Int32) -> Int32 {
                var root = x
                while parent[Int(root)] != root { root = parent[Int(root)] }
                var node = x
                while parent[Int(node)] != root {
                    let next = parent[Int(node)]
                    parent[Int(node)] = root
                    node = next
                }
                return root
            }
            func union(_ a: Int32, _ b: Int32) {
                let ra = find(a)
                let rb = find(b)
                // The smaller ordinal is the root, so roots are each group's first member.
                if ra < rb { parent[Int(rb)] = ra } else if rb < ra { parent[Int(ra)] = rb }
            }
            let minShared = Int((parameters.minSimilarity * Double(hashes)).rounded(.up))
            // Sort keys carry the ordinal in their low bits: one [UInt64] sort per band. The key keeps the remaining
            // high bits; two buckets that merge by truncation only cost extra similarity checks.
            let ordinalBits = max(1, Int.bitWidth - max(0, count - 1).leadingZeroBitCount)
            let ordinalMask: UInt64 = (1 << UInt64(ordinalBits)) - 1
            signatures.withUnsafeBufferPointer { signatures in
                func similar(_ a: Int, _ b: Int) -> Bool {
                    let x = a * hashes
                    let y = b * hashes
                    var equal = 0
                    var index = 0
                    while index + 8 <= hashes {
                        let left = UnsafeRawPointer(signatures.baseAddress! + x + index).loadUnaligned(
                            as: SIMD8<UInt16>.self)
                        let right = UnsafeRawPointer(signatures.baseAddress! + y + index).loadUnaligned(
                            as: SIMD8<UInt16>.self)
                        equal += Int(SIMD8<UInt16>(repeating: 0).replacing(with: 1, where: left .== right).wrappedSum())
                        index += 8
                    }
                    while index < hashes {
                        if signatures[x + index] == signatures[y + index] { equal += 1 }
                        index += 1
                    }
                    return equal >= minShared
                }
                // A bucket's members are read in key order, which is random in memory: each member's signature
                // (two cache lines) and union-find parent are requested a few members ahead, so the reads overlap
                // instead of each waiting on memory (at 1M captions the signatures take 128 MB). At 1M rows this
                // took the stage from 15-17 to 10 s; the groups are the same.
                let prefetchDistance = 8
                func prefetch(_ key: UInt64) {
                    let ordinal = Int(key & ordinalMask)
                    let signature = UnsafeRawPointer(signatures.baseAddress! + ordinal * hashes)
                    curate_prefetch(signature)
                    curate_prefetch(signature + hashes * 2 - 1)
                    parent.withUnsafeBufferPointer { curate_prefetch($0.baseAddress! + ordinal) }
                }
                // One band's keys, sorted.
                func sortedKeys(band: Int) -> [UInt64] {
                    var keyed: [UInt64] = []
                    keyed.reserveCapacity(count)
                    for ordinal in 0..<count where hasSignature[ordinal] {
                        var key = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
                        let base = ordinal * hashes + band * rows
                        for row in 0..<rows {
                            key = CaptionMinHash.mix(key ^ UInt64(signatures[base + row]) &+ UInt64(row + 1))
                        }
                        keyed.append((key & ~ordinalMask) | UInt64(ordinal))
                    }
                    RadixSort.sort(&keyed)
                    return keyed
                }
                var heads: [Int] = []
                // Bands are keyed and sorted a few at a time on all cores (8 bytes a caption each), then joined in
                // band order, so the groups do not depend on it.
                let batch = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
                for first in stride(from: 0, to: parameters.bands, by: batch) {
                    let sorted = parallelMap(min(batch, parameters.bands - first)) { sortedKeys(band: first + $0) }
                    for keyed in sorted {
                        // Within a bucket, each caption is checked against up to `headsPerBucket` earlier ones that did
                        // not match each other, so a crowded bucket still links the captions that are truly similar.
                        var runStart = 0
                        while runStart < keyed.count {
                            let bucket = keyed[runStart] & ~ordinalMask
                            var runEnd = runStart + 1
                            while runEnd < keyed.count, keyed[runEnd] & ~ordinalMask == bucket { runEnd += 1 }
                            if runEnd - runStart > 1 {
                                for index in runStart..<min(runEnd, runStart + prefetchDistance) {
                                    prefetch(keyed[index])
                                }
                                heads.removeAll(keepingCapacity: true)
                                heads.append(Int(keyed[runStart] & ordinalMask))
                                for index in (runStart + 1)..<runEnd {
                                    if index + prefetchDistance < runEnd { prefetch(keyed[index + prefetchDistance]) }
                                    let ordinal = Int(keyed[index] & ordinalMask)
                                    // Its root stays put until a union, after which the loop ends.
                                    let root = find(Int32(ordinal))
                                    var matched = false
                                    for head in heads {
                                        if find(Int32(head)) == root || similar(head, ordinal) {
                                            union(Int32(head), Int32(ordinal))
                                            matched = true
                                            break
                                        }
                                    }
                                    if !matched, heads.count < CaptionMinHash.headsPerBucket { heads.append(ordinal) }
                                }
                            }
                            runStart = runEnd
                        }
                    }
                }
            }
            // Sizes first, so only groups get arrays (most captions are alone). The root is the group's smallest
            // ordinal: a group is opened at its first member, so groups come out ordered by it, members ascending.
            var size = [Int32](repeating: 0, count: count)
            for ordinal in 0..<count { size[Int(find(Int32(ordinal)))] += 1 }
            var slot = [Int32](repeating: -1, count: count)
            var groups: [[Int]] = []
            for ordinal in 0..<count {
                let root = Int(parent[ordinal])  // compressed by the pass above
                guard size[root] >= 2 else { continue }
                if slot[root] < 0 {
                    slot[root] = Int32(groups.count)
                    groups.append([])
                    groups[groups.count - 1].reserveCapacity(Int(size[root]))
                }
                groups[Int(slot[root])].append(ordinal)
            }
            return groups
        }
    }

    /// Heads kept per LSH bucket.
    static let headsPerBucket = 4

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Fixed per-permutation keys (SplitMix64 stream from a constant), so signatures never change between versions.
    static let permutationKeys: [UInt64] = {
        var state: UInt64 = 0x5EED_C0DE
        return (0..<256).map { _ in
            state = state &+ 0x9E37_79B9_7F4A_7C15
            return mix(state)
        }
    }()
}
