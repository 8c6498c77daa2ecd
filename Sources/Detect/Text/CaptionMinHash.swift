internal import CXXHash

/// Finds near-identical captions (template captions: one fixed phrase with a few words swapped) with MinHash and
/// LSH banding. The result is caption clusters, reported apart from image clusters.
///
/// Shingles are the normalized tokens of ``CaptionTerms`` (stopwords out) and their adjacent pairs. Each shingle is
/// hashed once with `XXH3_64bits_withSeed(seed)`; the `numHashes` permutations are that hash mixed with a
/// per-permutation key (SplitMix64 finalizer), which keeps a signature to one xxhash call per shingle. Signatures
/// keep the low 16 bits of each minimum (b-bit MinHash: two different minima agree by chance with
/// probability 2⁻¹⁶), so a million captions need 128 bytes each.
///
/// Candidates are captions that agree on all `rows` values of any of the `bands` bands; a candidate joins a
/// caption seen earlier in that bucket (up to four are kept per bucket) when their estimated Jaccard similarity is
/// ≥ `minSimilarity`. Groups are the connected components, members ascending, ordered by their first member.
///
/// Defaults: 21 bands × 3 rows (63 hashes) and similarity ≥ 0.4. A five-word template with one word swapped has
/// Jaccard 0.5 over unigram+bigram shingles and becomes a candidate with probability 0.94 per pair; pairs at 0.3
/// with 0.44, then are rejected by the similarity check.
public struct CaptionMinHash: Sendable, Hashable {
    public var bands: Int
    public var rows: Int
    public var minSimilarity: Double
    public var seed: UInt64

    public init(bands: Int = 21, rows: Int = 3, minSimilarity: Double = 0.4, seed: UInt64 = 0x6375_7261_7465) {
        self.bands = max(1, bands)
        self.rows = max(1, rows)
        self.minSimilarity = minSimilarity
        self.seed = seed
    }

    public var numHashes: Int { bands * rows }

    /// The signature of `caption`, or nil when it has no tokens.
    public func signature(of caption: String, termizer: CaptionTerms = CaptionTerms()) -> [UInt16]? {
        var scratch = TokenScratch()
        CaptionTerms.tokenize(caption, into: &scratch)
        return signature(scratch)
    }

    func signature(_ scratch: TokenScratch) -> [UInt16]? {
        let count = scratch.count
        if count == 0 { return nil }
        var minima = [UInt64](repeating: .max, count: numHashes)
        var shingle: [UInt8] = []
        func add(_ base: UInt64) {
            for index in 0..<minima.count {
                let value = CaptionMinHash.mix(base ^ CaptionMinHash.permutationKeys[index & 255] &+ UInt64(index))
                if value < minima[index] { minima[index] = value }
            }
        }
        for index in 0..<count {
            shingle.removeAll(keepingCapacity: true)
            shingle.append(contentsOf: scratch.bytes[scratch.starts[index]..<scratch.ends[index]])
            add(shingle.withUnsafeBufferPointer { TermHash.hash($0, seed: seed) })
            if index + 1 < count {
                shingle.append(0)
                shingle.append(contentsOf: scratch.bytes[scratch.starts[index + 1]..<scratch.ends[index + 1]])
                add(shingle.withUnsafeBufferPointer { TermHash.hash($0, seed: seed) })
            }
        }
        return minima.map { UInt16(truncatingIfNeeded: $0) }
    }

    /// Estimated Jaccard similarity of two signatures: the share of equal positions.
    public static func similarity(_ a: [UInt16], _ b: [UInt16]) -> Double {
        precondition(a.count == b.count, "signatures of different lengths")
        var equal = 0
        for index in 0..<a.count where a[index] == b[index] { equal += 1 }
        return Double(equal) / Double(max(1, a.count))
    }

    /// Groups of sample ordinals (the position in `captions`) whose captions are near-identical; only groups of ≥ 2.
    public func groups(of captions: some Sequence<String>) -> [[Int]] {
        var finder = Finder(self)
        for caption in captions { finder.add(caption) }
        return finder.groups()
    }

    /// Streaming form of ``CaptionMinHash/groups(of:)``: add captions in sample order, then read the groups.
    public struct Finder {
        let parameters: CaptionMinHash
        private var signatures: [UInt16] = []
        private var hasSignature: [Bool] = []
        private var buckets: [[UInt64: Int32]]
        private var parent: [Int32] = []
        private var scratch = TokenScratch()

        public init(_ parameters: CaptionMinHash) {
            self.parameters = parameters
            buckets = Array(repeating: [:], count: parameters.bands)
        }

        /// Adds the next caption.
        public mutating func add(_ caption: String) {
            let ordinal = Int32(parent.count)
            parent.append(ordinal)
            CaptionTerms.tokenize(caption, into: &scratch)
            guard let signature = parameters.signature(scratch) else {
                hasSignature.append(false)
                signatures.append(contentsOf: repeatElement(0, count: parameters.numHashes))
                return
            }
            hasSignature.append(true)
            signatures.append(contentsOf: signature)
            let rows = parameters.rows
            for band in 0..<parameters.bands {
                var key: UInt64 = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
                for row in 0..<rows {
                    key = CaptionMinHash.mix(key ^ UInt64(signature[band * rows + row]) &+ UInt64(row + 1))
                }
                // Up to `headsPerBucket` heads per bucket, so a crowded bucket whose first caption is unrelated
                // still links the similar captions that arrive later.
                for slot in 0..<CaptionMinHash.headsPerBucket {
                    let slotKey = CaptionMinHash.mix(key &+ UInt64(slot))
                    if let head = buckets[band][slotKey] {
                        if similarity(Int(head), Int(ordinal)) >= parameters.minSimilarity {
                            union(head, ordinal)
                            break
                        }
                    } else {
                        buckets[band][slotKey] = ordinal
                        break
                    }
                }
            }
        }

        private func similarity(_ a: Int, _ b: Int) -> Double {
            let n = parameters.numHashes
            var equal = 0
            for index in 0..<n where signatures[a * n + index] == signatures[b * n + index] { equal += 1 }
            return Double(equal) / Double(n)
        }

        private mutating func find(_ x: Int32) -> Int32 {
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

        private mutating func union(_ a: Int32, _ b: Int32) {
            let ra = find(a)
            let rb = find(b)
            if ra == rb { return }
            // The smaller ordinal is the root, so roots are each group's first member.
            if ra < rb { parent[Int(rb)] = ra } else { parent[Int(ra)] = rb }
        }

        /// Groups of ≥ 2 ordinals, members ascending, ordered by first member.
        public mutating func groups() -> [[Int]] {
            var members: [Int32: [Int]] = [:]
            for ordinal in 0..<parent.count {
                // The root is the group's smallest ordinal, so members come out ascending.
                members[find(Int32(ordinal)), default: []].append(ordinal)
            }
            return members.values.filter { $0.count >= 2 }.sorted { $0[0] < $1[0] }
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
