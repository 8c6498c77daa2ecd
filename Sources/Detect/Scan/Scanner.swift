import Foundation

/// Options of a scan.
public struct ScanOptions: Sendable {
    /// Worker threads for reading, hashing and decoding.
    public var jobs: Int
    /// How images are decoded and which views are hashed.
    public var features: FeatureOptions
    /// Samples handled per batch; each batch commits to the index in one transaction.
    public var batchSize: Int
    /// Only samples whose ordinal is `shard.index` modulo `shard.count` are decoded (the others are still read).
    public var shard: (index: Int, count: Int)?
    /// Image files larger than this are `oversizedImage` and never read (the cap tar members have too).
    public var maxImageBytes: Int = WebDatasetReader.defaultMaxImageBytes
    /// The record fields each scanned sample keeps; nil keeps whole records. A run that reads the inputs again
    /// to write them (``ScanResult/fieldNames`` tells what columns exist) keeps only the fields it selects on,
    /// so the scan's memory does not hold every row's text.
    public var keptRecordFields: Set<String>?
    /// Whether the result holds each sample's image features (``ScanResult/features``); a scan that only fills the
    /// index and counts does not need them.
    public var keepsFeatures = true

    public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, features: FeatureOptions = FeatureOptions(),
                batchSize: Int = 256, shard: (index: Int, count: Int)? = nil) {
        self.jobs = max(1, jobs)
        self.features = features
        self.batchSize = max(1, batchSize)
        self.shard = shard
    }
}

/// Reads a dataset, computes image features on all cores, and caches them in the index.
public struct Scanner: Sendable {
    public var index: FeatureIndex
    public var options: ScanOptions

    public init(index: FeatureIndex, options: ScanOptions = ScanOptions()) {
        self.index = index
        self.options = options
    }

    /// Scans everything `reader` yields. `progress` is called after each batch with the samples done so far.
    public func scan(_ reader: inout some SampleReader, progress: (Int) -> Void = { _ in }) throws -> ScanResult {
        let start = Date()
        var result = ScanResult(
            keepsRecords: options.keptRecordFields.map { !$0.isEmpty } ?? true, keepsFeatures: options.keepsFeatures)
        var fieldNames = FieldNameList()
        var batch: [(Sample, ImageSource)] = []
        func flush() throws {
            let outcome = try scanBatch(batch)
            for scanned in outcome.samples { result.append(scanned) }
            result.problems += outcome.problems
            result.imagesDecoded += outcome.decoded
            result.imagesCached += outcome.cached
            batch.removeAll(keepingCapacity: true)
            progress(result.count)
        }
        while let item = try reader.next() {
            switch item {
            case .problem(let problem): result.problems.append(problem)
            case .sample(var sample, let source):
                fieldNames.add(sample.record)
                if let kept = options.keptRecordFields {
                    sample.record.fields.removeAll { !kept.contains($0.name) }
                    sample.record.source = nil
                    sample.record.extraCells = []
                }
                batch.append((sample, source))
                if batch.count >= options.batchSize { try flush() }
            }
        }
        if !batch.isEmpty { try flush() }
        result.finishAppending()
        result.seconds = Date().timeIntervalSince(start)
        result.fieldNames = fieldNames.names
        return result
    }

    private struct BatchOutcome {
        var samples: [ScannedSample]
        var problems: [InputProblem]
        var decoded: Int
        var cached: Int
    }

    /// Where one sample's image stands while its batch is worked on.
    private enum Loaded: Sendable {
        case hash(ContentHash, Data?)
        case failed(ProblemKind, String)
        case skipped
    }

    /// The stamps of the batch's files (nil for other sources), the content hashes the index remembers for the
    /// unchanged ones, and the index's entries for those hashes.
    private func knownFiles(
        of batch: [(Sample, ImageSource)]
    ) throws -> ([FileStamp?], [String: ContentHash], [ContentHash: CachedImage]) {
        let index = index
        let sliceLength = max(32, (batch.count + options.jobs - 1) / options.jobs)
        let slices = stride(from: 0, to: batch.count, by: sliceLength).map { start in
            batch[start..<min(batch.count, start + sliceLength)].map { _, source in
                if case .file(let url) = source { url.path } else { nil as String? }
            }
        }
        let found = parallelMap(slices, jobs: options.jobs) { paths in
            Result { () throws -> ([FileStamp?], [String: ContentHash], [ContentHash: CachedImage]) in
                let stamps = paths.map { path in path.flatMap { FileStamp(path: $0) } }
                let known = try index.knownFiles(stamps.compactMap { $0 })
                return (stamps, known, try index.lookup(Array(known.values)))
            }
        }
        var stamps: [FileStamp?] = []
        var knownHashes: [String: ContentHash] = [:]
        var cached: [ContentHash: CachedImage] = [:]
        stamps.reserveCapacity(batch.count)
        for result in found {
            let (sliceStamps, known, entries) = try result.get()
            stamps += sliceStamps
            knownHashes.merge(known) { first, _ in first }
            cached.merge(entries) { first, _ in first }
        }
        return (stamps, knownHashes, cached)
    }

    private func scanBatch(_ batch: [(Sample, ImageSource)]) throws -> BatchOutcome {
        // 1. Files whose size and mtime the index knows need not be read to learn their content hash. The stat
        //    calls and index reads of a warm scan are most of its time: they run on all cores, a slice each.
        let (stamps, knownHashes, cachedByPath) = try knownFiles(of: batch)

        // 2. Read and hash the bytes of everything else, in parallel.
        let shard = options.shard
        let maxImageBytes = options.maxImageBytes
        let work = Array(zip(batch, stamps))
        let loaded: [Loaded] = parallelMap(work, jobs: options.jobs) { pair in
            let ((sample, source), stamp) = pair
            if let shard, sample.ordinal % shard.count != shard.index { return .skipped }
            if let stamp, let hash = knownHashes[stamp.path], cachedByPath[hash] != nil { return .hash(hash, nil) }
            switch source {
            case .missing(let kind): return .failed(kind, "no image")
            case .bytes(let data): return .hash(ContentHash(of: data), data)
            case .file(let url):
                // A multi-gigabyte (or sparse) file named .jpg would otherwise be mapped and hashed whole.
                if let stamp, stamp.size > maxImageBytes {
                    return .failed(.oversizedImage, "\(url.path) is \(stamp.size) bytes, over the \(maxImageBytes)-byte cap; not read")
                }
                guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else {
                    return .failed(.unreadableFile, "cannot read \(url.path)")
                }
                return .hash(ContentHash(of: data), data)
            }
        }

        // 3. Decode each new image once, even when several samples share it.
        let hashes = loaded.compactMap { if case .hash(let hash, _) = $0 { hash } else { nil } }
        // Entries already fetched through the path cache are not read from the index a second time.
        var known = cachedByPath
        known.merge(try index.lookup(hashes.filter { cachedByPath[$0] == nil })) { cached, _ in cached }
        var pending: [ContentHash: Data] = [:]
        for case .hash(let hash, let data?) in loaded where known[hash] == nil { pending[hash] = data }
        let order = pending.keys.sorted()
        let featureOptions = options.features
        let fresh: [CachedImage] = parallelMap(order.map { pending[$0]! }, jobs: options.jobs) { data in
            do throws(ImageDecodeError) {
                return .features(try FeatureExtractor.features(of: data, options: featureOptions))
            } catch {
                return .failure(error)
            }
        }
        let newEntries = Array(zip(order, fresh))
        try index.store(newEntries)
        for (hash, entry) in newEntries { known[hash] = entry }
        // A warm scan finds every stamp remembered already and writes nothing.
        try index.rememberFiles(zip(stamps, loaded).compactMap { stamp, load in
            guard let stamp, case .hash(let hash, _) = load, knownHashes[stamp.path] != hash else { return nil }
            return (stamp, hash)
        })

        // 4. Put the batch together in input order.
        var outcome = BatchOutcome(samples: [], problems: [], decoded: newEntries.count, cached: 0)
        var countedCached = Set<ContentHash>()
        for ((sample, source), load) in zip(batch, loaded) {
            switch load {
            case .skipped:
                outcome.samples.append(ScannedSample(sample: sample, features: nil, imageProblem: nil))
            case .failed(let kind, let message):
                outcome.samples.append(ScannedSample(sample: sample, features: nil, imageProblem: kind))
                // Readers already reported missing images; report only what this stage found.
                if case .missing = source {} else {
                    outcome.problems.append(InputProblem(kind, at: sample.origin, key: sample.key, message))
                }
            case .hash(let hash, _):
                if pending[hash] == nil, countedCached.insert(hash).inserted { outcome.cached += 1 }
                switch known[hash] {
                case .features(let features):
                    outcome.samples.append(ScannedSample(sample: sample, features: features, imageProblem: nil))
                case .failure(let error):
                    outcome.samples.append(ScannedSample(sample: sample, features: nil, imageProblem: error.kind))
                    outcome.problems.append(
                        InputProblem(error.kind, at: sample.origin, key: sample.key, "\(sample.image ?? "image"): \(error.message)"))
                case nil:
                    outcome.samples.append(ScannedSample(sample: sample, features: nil, imageProblem: .unreadableFile))
                }
            }
        }
        return outcome
    }
}
