internal import CPrefetch
import Foundation

/// How many captions each term could be in, at most: a count-min sketch of term hashes, so the index can leave out
/// terms that cannot reach the support bar without ever holding them.
///
/// Most distinct n-grams of a large caption set occur once (at 1M captions, ~15M of them, 0.6 GB as an interned
/// vocabulary with a slot in the hash table and an id per occurrence). A first pass counts every n-gram occurrence
/// into `k` one-byte counters picked by its hash; a term's estimate is its smallest counter, which is never below
/// the number of captions holding it (counters only add, and saturate at 255 rather than wrap). A term estimated
/// below the support bar is certainly below it; one estimated at or above it may be below (other terms shared its
/// counters) and is counted exactly by the index, which prunes it then. So the index is the same with the sketch
/// as without it.
struct TermSupportSketch: Sendable {
    private var counters: [UInt8]
    private let mask: Int
    private static let probes = 3

    /// Counts the n-grams of `captions`, on all cores, in `size` counters (a power of two; by default about one
    /// per occurrence expected, 32 per caption, between 64 KB and 256 MB).
    init(counting captions: some RandomAccessCollection<String>, termizer: CaptionTerms, size: Int? = nil) {
        let size = size ?? Self.size(forCaptions: captions.count)
        precondition(size > 0 && size & (size - 1) == 0, "a power of two")
        let jobs = min(ProcessInfo.processInfo.activeProcessorCount, max(1, captions.count / 10_000))
        let parts = parallelMap(jobs) { job -> TermSupportSketch in
            var sketch = TermSupportSketch(size: size)
            var tokens = TokenScratch()
            var hashes: [UInt64] = []
            let start = captions.index(captions.startIndex, offsetBy: captions.count * job / jobs)
            let end = captions.index(captions.startIndex, offsetBy: captions.count * (job + 1) / jobs)
            for caption in captions[start..<end] {
                CaptionTerms.tokenize(caption, into: &tokens)
                hashes.removeAll(keepingCapacity: true)
                tokens.forEachNGram(maxN: termizer.maxN) { hashes.append(TermHash.hash($0)) }
                // A caption's counters all requested first: they are random in up to 256 MB.
                for hash in hashes { sketch.prefetch(hash) }
                for hash in hashes { sketch.add(hash) }
            }
            return sketch
        }
        self = parts[0]
        for part in parts.dropFirst() { merge(part) }
    }

    private static func size(forCaptions count: Int) -> Int {
        var size = 1 << 16
        while size < count * 32 && size < 1 << 28 { size <<= 1 }
        return size
    }

    private init(size: Int) {
        counters = [UInt8](repeating: 0, count: size)
        mask = size - 1
    }

    /// Counts one occurrence of the term with hash `hash`.
    mutating func add(_ hash: UInt64) {
        let (first, step) = Self.probe(hash)
        let mask = mask
        counters.withUnsafeMutableBufferPointer { counters in
            for i in 0..<Self.probes {
                let slot = (first &+ i &* step) & mask
                if counters[slot] < .max { counters[slot] += 1 }
            }
        }
    }

    /// Asks for the counters of the term with hash `hash` to be brought into cache, ahead of `add` or `mayReach`:
    /// callers with many terms at hand request them all first, so the cache misses overlap.
    func prefetch(_ hash: UInt64) {
        let (first, step) = Self.probe(hash)
        counters.withUnsafeBufferPointer { counters in
            for i in 0..<Self.probes { curate_prefetch(counters.baseAddress! + ((first &+ i &* step) & mask)) }
        }
    }

    /// Whether the term with hash `hash` may be in `support` captions or more.
    func mayReach(_ hash: UInt64, _ support: Int) -> Bool {
        let (first, step) = Self.probe(hash)
        return counters.withUnsafeBufferPointer { counters in
            var least = UInt8.max
            for i in 0..<Self.probes { least = min(least, counters[(first &+ i &* step) & mask]) }
            // A saturated counter stands for 255 or more.
            return least == .max || Int(least) >= support
        }
    }

    /// Adds the counts of a sketch of the same size.
    private mutating func merge(_ other: TermSupportSketch) {
        for i in counters.indices {
            let (sum, overflow) = counters[i].addingReportingOverflow(other.counters[i])
            counters[i] = overflow ? .max : sum
        }
    }

    /// Where a hash's counters start and how far apart they are (double hashing of its two halves).
    @inline(__always) private static func probe(_ hash: UInt64) -> (first: Int, step: Int) {
        (Int(truncatingIfNeeded: hash), Int(truncatingIfNeeded: (hash >> 32) | 1))
    }
}
