internal import CHamming
internal import CPrefetch
import Foundation

/// Exact all-pairs search over binary codes (64-bit pHash/dHash, 256-bit PDQ) by multi-index hashing.
///
/// Each code is split into `m` contiguous chunks of at most 22 bits; table `i` buckets every code by its chunk `i`.
/// Chunk radii `τ_i` are chosen so that `Σ (τ_i + 1) > r`, the generalized pigeonhole principle: if every chunk
/// differed in more than `τ_i` bits the whole code would differ in more than `r`, so any pair within `r` agrees to
/// within `τ_i` bits on at least one chunk `i`, and probing every bucket within `τ_i` of each code's chunk in table
/// `i` finds it. With equal radii this is the classic `⌊r/m⌋` rule, spending the leftover so radii differ by at
/// most one. Every candidate is then checked with its full Hamming distance, so the result equals brute force.
///
/// A cap on the chunk radii (`maximumChunkRadius`) trades that guarantee for speed: the search is then exact up to
/// `Σ (τ_i + 1) − 1` bits and, beyond, finds a pair whenever some chunk differs in at most its capped radius. PDQ
/// uses a cap of 1 (see ``ChunkPlan``).
///
/// Samples have several views (as decoded, mirrored, trimmed); every view is indexed and every view queries, so a
/// pair links when any view of one is within `r` of any view of the other. Tables are built and probed one at a
/// time; each table is self-joined bucket pair by bucket pair in parallel stripes, and the pairs come back sorted.
///
/// The views are not held by the search: the caller enumerates them (from the features it holds anyway) each time
/// a table is built, and the codes live once, in the table being probed. At 1M images (~28M pHash views) a held
/// copy next to the table cost a third of a gigabyte at the audit's peak.
public enum HammingPairSearch {
    /// Calls `views(owner, codes)` with the views of each sample of part `part` of `parts` (codes of `bits / 64`
    /// words, least significant first, one after the other), in the same order on every call. The parts split the
    /// samples into consecutive runs (``part(_:of:count:)``); several parts are enumerated at once, on different
    /// threads.
    public typealias Views = (
        _ part: Int, _ parts: Int, _ views: (_ owner: Int, _ codes: UnsafeBufferPointer<UInt64>) -> Void
    ) -> Void

    /// The samples of part `part` of `parts` when `count` samples are split into consecutive runs.
    public static func part(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }

    /// Every pair of distinct samples with some views within `maxDistance` bits, as sorted unique keys
    /// `a << 32 | b` with `a < b`. `bits` is a multiple of 64 (64 for pHash and dHash, 256 for PDQ).
    /// `maximumChunkRadius` nil keeps the search exact; a cap makes it exact only up to the distance
    /// ``ChunkPlan/exactDistance`` and likely beyond it. `exactUpTo` limits the cap to plans it leaves exact up to
    /// that many bits (see ``ChunkPlan``).
    public static func pairs(
        bits: Int, maxDistance: Int, maximumChunkRadius: Int? = nil, exactUpTo: Int? = nil, views: Views
    ) -> [UInt64] {
        var count = 0
        views(0, 1) { _, codes in count += codes.count / (bits / 64) }
        let plan = ChunkPlan(
            bits: bits, entries: count, radius: maxDistance, maximumChunkRadius: maximumChunkRadius,
            exactUpTo: exactUpTo)
        return pairs(bits: bits, maxDistance: maxDistance, plan: plan, views: views)
    }

    /// The same search with a given chunk plan (tests use the plans of much larger inputs on small ones) and a
    /// given compilation of the probe loop (tests check the baseline one on CPUs where it would not run).
    static func pairs(
        bits: Int, maxDistance: Int, plan: ChunkPlan, kernel: ProbeKernel = .best, views: Views
    ) -> [UInt64] {
        precondition(bits > 0 && bits % 64 == 0, "codes are whole 64-bit words")
        guard maxDistance >= 0 else { return [] }
        var found: [UInt64] = []
        for chunk in plan.chunks {
            let table = BucketTable(wordsPerCode: bits / 64, chunk: chunk, views: views)
            if table.count < 2 { return [] }
            found += probe(table, chunk: chunk, wordsPerCode: bits / 64, radius: maxDistance, kernel: kernel)
            found = sortedUnique(found)
        }
        return found
    }

    /// Every candidate pair of one chunk's table checked at full length.
    ///
    /// The table is self-joined by bucket pairs (B1, B2 = B1 ^ mask) with B1 ≤ B2, so each candidate pair is looked at
    /// once: each bucket's partners are copied into one run of codes, which its codes then stream through. The loop is
    /// `curate_hamming_probe` (C, compiled for AVX-512 VPOPCNTDQ, AVX2, POPCNT and baseline x86-64, chosen at run
    /// time: the distance is a population count, which baseline x86-64 code computes in a dozen instructions; at 1M
    /// rows the AVX-512 build took the pHash search from 36.5 to 32.2 s).
    private static func probe(
        _ table: BucketTable, chunk: ChunkPlan.Chunk, wordsPerCode: Int, radius: Int, kernel: ProbeKernel
    ) -> [UInt64] {
        let bucketCount = 1 << chunk.width
        let masks = flipMasks(width: chunk.width, radius: chunk.radius)
        let stripes = min(bucketCount, 256)
        let perStripe = bucketCount / stripes
        let results = parallelMap(stripes) { stripe -> [UInt64] in
            var buffer = curate_pair_buffer(keys: nil, count: 0, capacity: 0)
            defer { free(buffer.keys) }
            let complete = table.offsets.withUnsafeBufferPointer { offsets in
                table.words.withUnsafeBufferPointer { codes in
                    table.owners.withUnsafeBufferPointer { owners in
                        masks.withUnsafeBufferPointer { masks in
                            (kernel == .best ? curate_hamming_probe : curate_hamming_probe_baseline)(
                                offsets.baseAddress, codes.baseAddress, owners.baseAddress, Int32(wordsPerCode),
                                table.packing, Int64(stripe * perStripe), Int64((stripe + 1) * perStripe),
                                masks.baseAddress, Int32(masks.count), Int32(radius), &buffer)
                        }
                    }
                }
            }
            precondition(complete, "out of memory collecting near-duplicate pairs")
            return Array(UnsafeBufferPointer(start: buffer.keys, count: buffer.count))
        }
        return results.flatMap { $0 }
    }
}

/// Which compilation of the C probe loop runs: the best the CPU has, or the one for the baseline instruction set.
enum ProbeKernel {
    case best, baseline
}

/// Codes ordered by one chunk's value (a counting sort over two enumerations of the views, one to count each
/// bucket and one to place each code): bucket `b` is `offsets[b]..<offsets[b + 1]`.
///
/// Both enumerations run on all cores, a part of the samples each: every part counts into its own buckets, so
/// each part knows where its codes start in every bucket and places them there. A bucket holds its codes in
/// enumeration order, as one thread would have placed them.
///
/// 64-bit codes whose owners fit in the chunk's width are packed (``curate_code_packing``): the chunk's bits,
/// which the bucket already says, make room for the owner, so a code takes 8 bytes instead of 12. At 1M rows
/// (36M pHash views, 22-bit chunks, under 4M owners) that is 145 MB less at the search's peak.
private struct BucketTable {
    var words: [UInt64]
    /// Each code's owner, when the codes are not packed.
    var owners: [Int32]
    var offsets: [Int32]
    /// How `words` holds the codes (`owner_bits` 0: one code each, owners apart).
    var packing: curate_code_packing

    /// Number of codes.
    var count: Int { Int(offsets.last ?? 0) }

    init(wordsPerCode: Int, chunk: ChunkPlan.Chunk, views: HammingPairSearch.Views) {
        let bucketCount = 1 << chunk.width
        let parts = min(4, ProcessInfo.processInfo.activeProcessorCount)
        // Each part counts its codes per bucket, then places them from its own cursors. The last part keeps its
        // cursors in `offsets[1...]`, where they end as the buckets' ends: the table's offsets. The others take
        // 4 bytes a bucket each (16 MB at 22 bits), what the one-thread build spent on a cursor copy.
        var offsets = [Int32](repeating: 0, count: bucketCount + 1)
        let others = UnsafeMutableBufferPointer<Int32>.allocate(capacity: (parts - 1) * bucketCount)
        others.initialize(repeating: 0)
        defer { others.deallocate() }
        var complete: [Bool] = []
        var words: [UInt64] = []
        var owners: [Int32] = []
        var packing = curate_code_packing(owner_bits: 0, chunk_start: 0, chunk_width: 0)
        offsets.withUnsafeMutableBufferPointer { offsets in
            nonisolated(unsafe) let cursorBases = (0..<parts).map { part in
                part + 1 == parts ? offsets.baseAddress! + 1 : others.baseAddress! + part * bucketCount
            }
            let largestOwners = parallelMap(parts) { part in
                let counts = cursorBases[part]
                var largest = 0
                views(part, parts) { owner, codes in
                    largest = max(largest, owner)
                    Self.withBuckets(of: codes, wordsPerCode: wordsPerCode, chunk: chunk, cursors: counts) { keys in
                        for key in keys { counts[key] += 1 }
                    }
                }
                return largest
            }
            let ownerBits = Int.bitWidth - (largestOwners.max() ?? 0).leadingZeroBitCount
            if wordsPerCode == 1, ownerBits <= chunk.width {
                packing = curate_code_packing(
                    owner_bits: Int32(max(1, ownerBits)), chunk_start: Int32(chunk.start),
                    chunk_width: Int32(chunk.width))
            }
            // Bucket b's codes come part after part, so part p starts after the codes of the parts before it.
            var next: Int32 = 0
            var lastEnds: UInt64 = 0
            for b in 0..<bucketCount {
                for cursor in cursorBases {
                    let count = cursor[b]
                    cursor[b] = next
                    next += count
                }
                lastEnds = Self.mix(lastEnds, b, next)
            }
            // Where each part must end, as a checksum: a part ends where the next one starts.
            let ends = (0..<parts).map { part in
                part + 1 < parts ? Self.checksum(cursorBases[part + 1], count: bucketCount) : lastEnds
            }
            let n = Int(next)
            let packs = packing.owner_bits > 0
            let packed = packing
            owners = [Int32](unsafeUninitializedCapacity: packs ? 0 : n) { ownerBuffer, ownerCount in
                words = [UInt64](unsafeUninitializedCapacity: n * wordsPerCode) { wordBuffer, wordCount in
                    // Each part writes only the slots it counted; a part that strays (views that changed between
                    // the two enumerations) is caught below, and no slot outside the table is ever written.
                    nonisolated(unsafe) let words = wordBuffer
                    nonisolated(unsafe) let owners = ownerBuffer
                    complete = parallelMap(parts) { part in
                        let cursor = cursorBases[part]
                        var overflow = false
                        views(part, parts) { owner, codes in
                            Self.withBuckets(of: codes, wordsPerCode: wordsPerCode, chunk: chunk, cursors: cursor) {
                                slots in
                                // Each bucket's next slot first, requested from memory, then the writes.
                                for (view, key) in slots.enumerated() {
                                    let slot = Int(cursor[key])
                                    guard slot < n, !packs || owner >> Int(packed.owner_bits) == 0 else {
                                        overflow = true
                                        return
                                    }
                                    cursor[key] += 1
                                    slots[view] = slot
                                    curate_prefetch_write(words.baseAddress! + slot * wordsPerCode)
                                }
                                for (view, slot) in slots.enumerated() {
                                    let start = view * wordsPerCode
                                    if packs {
                                        words[slot] = Self.pack(codes[start], owner: owner, packing: packed)
                                    } else {
                                        owners[slot] = Int32(owner)
                                        for k in 0..<wordsPerCode { words[slot * wordsPerCode + k] = codes[start + k] }
                                    }
                                }
                            }
                        }
                        return !overflow && Self.checksum(cursor, count: bucketCount) == ends[part]
                    }
                    wordCount = n * wordsPerCode
                }
                ownerCount = packs ? 0 : n
            }
        }
        precondition(!complete.contains(false), "the views must be the same on every enumeration")
        self.words = words
        self.owners = owners
        self.offsets = offsets
        self.packing = packing
    }

    /// Calls `body` with the bucket of each code in `codes` (to use as it likes), once every bucket's cursor has been
    /// requested from memory: the cursors (16 MB a part at 22 bits) are read in random order, and asking for a
    /// sample's few dozen at once lets the reads overlap instead of each waiting on the one before.
    @inline(__always) private static func withBuckets(
        of codes: UnsafeBufferPointer<UInt64>, wordsPerCode: Int, chunk: ChunkPlan.Chunk,
        cursors: UnsafeMutablePointer<Int32>, _ body: (UnsafeMutableBufferPointer<Int>) -> Void
    ) {
        let count = codes.count / wordsPerCode
        withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { keys in
            for view in 0..<count {
                let key = Int(chunk.extract(codes.baseAddress! + view * wordsPerCode))
                keys[view] = key
                curate_prefetch_write(cursors + key)
            }
            body(keys)
        }
    }

    /// `code` without the chunk's bits, shifted up, and `owner` below it.
    @inline(__always) private static func pack(_ code: UInt64, owner: Int, packing: curate_code_packing) -> UInt64 {
        let start = UInt64(packing.chunk_start), end = start + UInt64(packing.chunk_width)
        let low = code & ((1 << start) &- 1)
        let high = end < 64 ? (code >> end) << start : 0
        return (low | high) << UInt64(packing.owner_bits) | UInt64(owner)
    }

    /// A polynomial hash of bucket positions, in bucket order: a code counted in one bucket and placed in another
    /// moves two of them and changes the hash.
    private static func checksum(_ positions: UnsafeMutablePointer<Int32>, count: Int) -> UInt64 {
        (0..<count).reduce(0) { mix($0, $1, positions[$1]) }
    }

    /// `sum` followed by bucket `b`'s position.
    @inline(__always) private static func mix(_ sum: UInt64, _ b: Int, _ position: Int32) -> UInt64 {
        sum &* 0x100_0000_01B3 &+ UInt64(UInt32(bitPattern: position)) &+ UInt64(b)
    }
}

/// How codes are cut into chunks and how far each chunk is probed.
struct ChunkPlan {
    struct Chunk {
        var start: Int
        var width: Int
        var radius: Int

        /// The chunk's bits of the code at `code` as an integer.
        @inline(__always) func extract(_ code: UnsafePointer<UInt64>) -> UInt32 {
            let word = start >> 6
            let offset = start & 63
            var value = code[word] >> UInt64(offset)
            if offset + width > 64 { value |= code[word + 1] << UInt64(64 - offset) }
            return UInt32(truncatingIfNeeded: value & ((1 << UInt64(width)) - 1))
        }
    }

    var chunks: [Chunk] = []

    /// The largest distance at which every pair is found: one less than `Σ (τ_i + 1)` (the search radius itself
    /// unless the chunk radii were capped).
    var exactDistance: Int { chunks.reduce(0) { $0 + $1.radius + 1 } - 1 }

    /// Chunks of about log2(entries) bits, with radii whose sum is at least `radius - m + 1`. Tables are
    /// direct-addressed arrays, so chunks stay at most 22 bits (a 16 MB offset table). For 64-bit codes up to about
    /// 2M entries that means 4 chunks of 16; beyond, 3 chunks of 21-22 bits, whose buckets hold a few entries
    /// instead of hundreds (at 20M pHash views: about a tenth of the candidates, for 6 times the bucket probes).
    /// For PDQ at 4M views, 12 chunks of 21-22 bits instead of 13 of 20 took the search from 33 to 24 s: with
    /// narrower chunks the buckets, and so the candidates per view, grow with the number of views.
    ///
    /// `maximumChunkRadius` caps every chunk's radius. For PDQ (256 bits, distance 31) at 4M views the exact radii
    /// are 2 on eight chunks of 21-22 bits and 1 on four: 254 partner buckets per bucket for most tables. Capped at 1,
    /// every table probes 23: the search is then exact up to 23 bits (up to 31 below 65k views, where 16 chunks of
    /// 16 bits need no more) and misses a pair at 24-31 bits only when every one of its twelve chunks differs in two
    /// bits or more. Near-duplicates' PDQ distances sit well below that; planted pairs spread evenly over 0...31 are
    /// found at a rate over 0.99 (tested).
    ///
    /// `exactUpTo` keeps the cap only where the search stays exact up to that many bits; elsewhere the radii are
    /// left whole. pHash (64 bits, distance 6) uses a cap of 1 exact up to 5: beyond 2M views its three chunks of
    /// 21-22 bits are probed within 1 bit each rather than 2, 1 and 1 (23 partner buckets instead of 254 on the first
    /// table), and a pair 6 bits apart is missed only when each chunk holds two of its bits (about 1 in 7 such view
    /// pairs, tested). Below 2M views the four 16-bit chunks need no more than 1 bit, so the search stays exact.
    init(bits: Int, entries: Int, radius: Int, maximumChunkRadius: Int? = nil, exactUpTo: Int? = nil) {
        let maximumWidth = 22
        var width = 1
        while (1 << width) < entries && width < maximumWidth { width += 1 }
        width = max(width, 4)
        let m = (bits + width - 1) / width
        let budget = max(0, radius - m + 1)
        var start = 0
        for i in 0..<m {
            let w = bits / m + (i < bits % m ? 1 : 0)
            let r = min(w, maximumChunkRadius ?? w, budget / m + (i < budget % m ? 1 : 0))
            chunks.append(Chunk(start: start, width: w, radius: r))
            start += w
        }
        if let exactUpTo, maximumChunkRadius != nil, exactDistance < exactUpTo {
            self = ChunkPlan(bits: bits, entries: entries, radius: radius)
        }
    }
}

/// Every `width`-bit mask with at most `radius` bits set, fewest bits first.
func flipMasks(width: Int, radius: Int) -> [UInt32] {
    var masks: [UInt32] = [0]
    var frontier: [(mask: UInt32, next: Int)] = [(0, 0)]
    for _ in 0..<min(radius, width) {
        var grown: [(UInt32, Int)] = []
        for (mask, next) in frontier {
            for bit in next..<width {
                let m = mask | (1 << UInt32(bit))
                masks.append(m)
                grown.append((m, bit + 1))
            }
        }
        frontier = grown
    }
    return masks
}
