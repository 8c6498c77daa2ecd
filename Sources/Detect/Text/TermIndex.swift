import Foundation

/// The caption terms of a whole dataset: a vocabulary (term ↔ id) and, per sample, its sorted unique term ids.
///
/// Storage is compact: one flat `[Int32]` of term ids with per-sample offsets. Built streaming with
/// ``Builder``; ``Builder/finish(minSupport:keeping:)`` drops every term seen in fewer than `minSupport` samples
/// (such a term can never be a trigger), which bounds memory by the frequent vocabulary.
public struct TermIndex: Sendable, Hashable {
    /// Term strings by id.
    public private(set) var terms: [String]
    /// Samples (captions) holding each term, by id: the document frequency in this index.
    public private(set) var documentFrequency: [Int]
    /// Flat term ids of all samples; sample `i` owns `termIDs[offsets[i]..<offsets[i + 1]]`, ascending.
    public private(set) var termIDs: [Int32]
    /// `sampleCount + 1` offsets into ``termIDs``.
    public private(set) var offsets: [Int]
    private var idOfTerm: [String: Int32]

    /// Number of samples.
    public var sampleCount: Int { offsets.count - 1 }

    /// The id of `term` (already normalized), or nil when it is not in the vocabulary.
    public func id(of term: String) -> Int32? { idOfTerm[term] }

    /// The sorted term ids of sample `ordinal`.
    public func termIDs(of ordinal: Int) -> ArraySlice<Int32> { termIDs[offsets[ordinal]..<offsets[ordinal + 1]] }

    /// The terms of sample `ordinal`, in id order.
    public func terms(of ordinal: Int) -> [String] { termIDs(of: ordinal).map { terms[Int($0)] } }

    /// Whether sample `ordinal` holds term `id` (binary search).
    public func contains(_ ordinal: Int, _ id: Int32) -> Bool {
        var low = offsets[ordinal]
        var high = offsets[ordinal + 1]
        while low < high {
            let mid = (low + high) / 2
            let value = termIDs[mid]
            if value == id { return true }
            if value < id { low = mid + 1 } else { high = mid }
        }
        return false
    }

    /// Builds an index over `captions`: with `minSupport` above 1, a first pass rules out the terms that cannot reach
    /// it (``TermSupportSketch``), and the second indexes the rest.
    public static func build(
        captions: some RandomAccessCollection<String>, termizer: CaptionTerms = CaptionTerms(), minSupport: Int = 1,
        keeping keep: Set<String> = []
    ) -> TermIndex {
        var builder = Builder(termizer: termizer)
        // A first pass finds the terms that may reach the bar; the rest are never interned (at 1M captions, most
        // of the ~15M distinct n-grams, and most of the stage's memory).
        if minSupport > 1 {
            builder.admit(
                TermSupportSketch(counting: captions, termizer: termizer), minSupport: minSupport, keeping: keep)
        }
        for caption in captions { builder.add(caption) }
        return builder.finish(minSupport: minSupport, keeping: keep)
    }

    /// This index with the captions of some samples replaced (the planned output after caption rewrites).
    ///
    /// Ids of existing terms are kept; terms new to the vocabulary get new ids. Exact for every term of this
    /// index. A term that was pruned from it (fewer than `minSupport` samples) is counted only in the rewritten
    /// samples, so its support may be short by at most `minSupport - 1`; rebuild from all captions when that matters.
    public func replacingCaptions(_ captions: [Int: String], termizer: CaptionTerms = CaptionTerms()) -> TermIndex {
        var result = self
        var newIDs: [Int32] = []
        var newOffsets: [Int] = [0]
        newIDs.reserveCapacity(termIDs.count)
        newOffsets.reserveCapacity(offsets.count)
        var scratch: [Int32] = []
        for ordinal in 0..<sampleCount {
            if let caption = captions[ordinal] {
                for id in termIDs(of: ordinal) { result.documentFrequency[Int(id)] -= 1 }
                scratch.removeAll(keepingCapacity: true)
                termizer.forEachTerm(in: caption) { bytes in
                    let term = String(decoding: bytes, as: UTF8.self)
                    if let id = result.idOfTerm[term] {
                        scratch.append(id)
                    } else {
                        let id = Int32(result.terms.count)
                        result.terms.append(term)
                        result.documentFrequency.append(0)
                        result.idOfTerm[term] = id
                        scratch.append(id)
                    }
                }
                scratch.sort()
                var previous: Int32 = -1
                for id in scratch where id != previous {
                    newIDs.append(id)
                    result.documentFrequency[Int(id)] += 1
                    previous = id
                }
            } else {
                newIDs.append(contentsOf: termIDs(of: ordinal))
            }
            newOffsets.append(newIDs.count)
        }
        result.termIDs = newIDs
        result.offsets = newOffsets
        return result
    }

    /// Streams captions in sample order into an index.
    public struct Builder {
        private let termizer: CaptionTerms
        /// Hash of term bytes → provisional id; collisions of the 64-bit hash fall back to `collided`.
        private var idOfHash = HashSlots()
        private var collided: [String: Int32] = [:]
        private var termBytes: [UInt8] = []
        private var termOffsets: [Int] = [0]
        private var counts: [Int32] = []
        private var ids: [Int32] = []
        private var offsets: [Int] = [0]
        private var scratch: [Int32] = []
        private var hashes: [UInt64] = []
        private var tokens = TokenScratch()
        /// Terms that may reach the support bar, when known (``admit(_:minSupport:keeping:)``).
        private var admission: (sketch: TermSupportSketch, minSupport: Int, kept: Set<UInt64>)?

        public init(termizer: CaptionTerms = CaptionTerms()) {
            self.termizer = termizer
        }

        /// From now on, interns only terms the sketch says may be in `minSupport` captions or more, and the terms of
        /// `keep`: the others would be pruned by ``finish(minSupport:keeping:)`` with the same `minSupport` anyway.
        /// Called before the first sample is added; the sketch must have counted every caption to come.
        mutating func admit(_ sketch: TermSupportSketch, minSupport: Int, keeping keep: Set<String>) {
            precondition(sampleCount == 0, "admission is decided before the first sample")
            admission = (sketch, minSupport, Set(keep.map(TermHash.hash)))
        }

        /// Samples added so far.
        public var sampleCount: Int { offsets.count - 1 }

        /// Adds the next sample's caption.
        public mutating func add(_ caption: String) {
            scratch.removeAll(keepingCapacity: true)
            // Work on a local token buffer so the closure may mutate self; swapping moves no bytes.
            var tokens = TokenScratch()
            swap(&tokens, &self.tokens)
            CaptionTerms.tokenize(caption, into: &tokens)
            // The n-grams' hashes first, and their sketch counters and vocabulary slots requested from memory (both
            // are read in random order, and at 1M captions far larger than the cache), then the interning.
            hashes.removeAll(keepingCapacity: true)
            tokens.forEachNGram(maxN: termizer.maxN) { hashes.append(TermHash.hash($0)) }
            for hash in hashes {
                admission?.sketch.prefetch(hash)
                idOfHash.prefetch(hash)
            }
            var index = 0
            tokens.forEachNGram(maxN: termizer.maxN) { bytes in
                if let id = self.intern(bytes, hash: self.hashes[index]) { scratch.append(id) }
                index += 1
            }
            swap(&tokens, &self.tokens)
            scratch.sort()
            var previous: Int32 = -1
            for id in scratch where id != previous {
                ids.append(id)
                counts[Int(id)] += 1
                previous = id
            }
            offsets.append(ids.count)
        }

        /// Adds the next sample from terms computed earlier (e.g. read back from the feature cache): each must be a
        /// normalized term as ``CaptionTerms`` produces it; repeats are fine.
        public mutating func add(terms: some Sequence<String>) {
            scratch.removeAll(keepingCapacity: true)
            for term in terms {
                var term = term
                term.withUTF8 { if let id = intern($0, hash: TermHash.hash($0)) { scratch.append(id) } }
            }
            scratch.sort()
            var previous: Int32 = -1
            for id in scratch where id != previous {
                ids.append(id)
                counts[Int(id)] += 1
                previous = id
            }
            offsets.append(ids.count)
        }

        /// The provisional id of a term whose `TermHash` is `hash`, nil when it is not admitted.
        private mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
            if let admission, !admission.sketch.mayReach(hash, admission.minSupport),
                admission.kept.isEmpty || !admission.kept.contains(hash)
            {
                return nil
            }
            if let id = idOfHash.value(for: hash) {
                let start = termOffsets[Int(id)]
                let end = termOffsets[Int(id) + 1]
                if end - start == bytes.count,
                    termBytes.withUnsafeBufferPointer({
                        memcmp($0.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
                    })
                {
                    return id
                }
                let term = String(decoding: bytes, as: UTF8.self)
                if let id = collided[term] { return id }
                let new = appendTerm(bytes)
                collided[term] = new
                return new
            }
            let new = appendTerm(bytes)
            idOfHash.insert(hash, new)
            return new
        }

        private mutating func appendTerm(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
            let id = Int32(counts.count)
            termBytes.append(contentsOf: bytes)
            termOffsets.append(termBytes.count)
            counts.append(0)
            return id
        }

        /// The finished index, keeping terms held by at least `minSupport` samples and every term in `keep`
        /// (normalized phrases, e.g. object names needed for mention checks). Kept terms are renumbered in
        /// order of first appearance.
        public func finish(minSupport: Int = 1, keeping keep: Set<String> = []) -> TermIndex {
            var newID = [Int32](repeating: -1, count: counts.count)
            var terms: [String] = []
            var frequency: [Int] = []
            var idOfTerm: [String: Int32] = [:]
            // Strings are made only for terms that survive: most distinct n-grams occur once and are dropped.
            let keepHashes = Set(keep.map(TermHash.hash))
            for id in 0..<counts.count {
                let frequent = Int(counts[id]) >= minSupport
                if !frequent, keepHashes.isEmpty { continue }
                let hash = termBytes.withUnsafeBufferPointer {
                    TermHash.hash(UnsafeBufferPointer(rebasing: $0[termOffsets[id]..<termOffsets[id + 1]]))
                }
                if !frequent, !keepHashes.contains(hash) { continue }
                let term = String(decoding: termBytes[termOffsets[id]..<termOffsets[id + 1]], as: UTF8.self)
                if frequent || keep.contains(term) {
                    newID[id] = Int32(terms.count)
                    idOfTerm[term] = Int32(terms.count)
                    terms.append(term)
                    frequency.append(Int(counts[id]))
                }
            }
            var flat: [Int32] = []
            var newOffsets: [Int] = [0]
            newOffsets.reserveCapacity(offsets.count)
            for sample in 0..<(offsets.count - 1) {
                let start = flat.count
                for index in offsets[sample]..<offsets[sample + 1] {
                    let id = newID[Int(ids[index])]
                    if id >= 0 { flat.append(id) }
                }
                // First-appearance numbering keeps the relative order of surviving ids, but sort to be safe.
                if flat.count - start > 1 { flat[start...].sort() }
                newOffsets.append(flat.count)
            }
            return TermIndex(
                terms: terms, documentFrequency: frequency, termIDs: flat, offsets: newOffsets, idOfTerm: idOfTerm)
        }
    }
}
