/// The codes one hash kind searches, a run of codes per sample, kept out of memory in a ``SpillBuffer`` and walked
/// in order as ``HammingPairSearch/Views``, once for every table the search builds. Drawing them from the features
/// once, instead of on every walk, also spares decoding the features again and again.
struct CodeRuns {
    private let store: SpillBuffer
    /// Where every `checkpointSpacing`-th run starts in ``store``, so a part of the runs is found without walking
    /// the runs before it.
    private var checkpoints: [Int] = []
    private static let checkpointSpacing = 256
    /// Number of runs (samples with at least one code).
    private(set) var runCount = 0

    /// Runs of no codes yet, written to the temporary file in blocks of `blockSize` bytes.
    init(blockSize: Int = 4 << 20) {
        store = SpillBuffer(blockSize: blockSize)
    }

    /// Adds sample `owner`'s codes (whole codes of one or more words, least significant first). A sample without
    /// codes adds no run.
    mutating func append(owner: Int, codes: UnsafeBufferPointer<UInt64>) {
        guard !codes.isEmpty else { return }
        if runCount % Self.checkpointSpacing == 0 { checkpoints.append(store.count) }
        // Header and codes are 8 bytes each, so every code stays 8-byte aligned in the buffer.
        store.append(UInt32(owner))
        store.append(UInt32(codes.count))
        store.append(UnsafeRawBufferPointer(codes))
        runCount += 1
    }

    /// Calls `body(owner, codes)` for each run of part `part` of `parts` (consecutive runs,
    /// ``HammingPairSearch/part(_:of:count:)``), in order.
    func forEach(part: Int, of parts: Int, _ body: (Int, UnsafeBufferPointer<UInt64>) -> Void) {
        let runs = HammingPairSearch.part(part, of: parts, count: runCount)
        guard !runs.isEmpty else { return }
        var reader = SpillBuffer.Reader(store)
        var offset = checkpoints[runs.lowerBound / Self.checkpointSpacing]
        for run in (runs.lowerBound / Self.checkpointSpacing * Self.checkpointSpacing)..<runs.upperBound {
            let (owner, count) = reader.withBytes(offset..<offset + 8) {
                (Int($0.loadUnaligned(as: UInt32.self)), Int($0.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
            }
            offset += 8
            if run >= runs.lowerBound {
                reader.withBytes(offset..<offset + 8 * count) { body(owner, $0.assumingMemoryBound(to: UInt64.self)) }
            }
            offset += 8 * count
        }
    }

    /// The runs as the pair search enumerates views.
    var views: HammingPairSearch.Views {
        { part, parts, body in forEach(part: part, of: parts, body) }
    }
}
