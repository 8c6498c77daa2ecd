import Detect
import Foundation

/// A dataset read, scanned, clustered and mined: everything `stats`, `audit` and `apply` share.
public struct DatasetAnalysis: Sendable {
    public var scan: ScanResult
    /// Every problem: the scan's plus those found in embeddings and object tags.
    public var problems: [InputProblem]
    public var clustering: Clustering
    public var termIndex: TermIndex
    public var objects: ObjectTags?
    public var wordStatistics: [TermStatistics]
    public var objectStatistics: [TermObjectStatistics]
    public var wordTriggers: [TermStatistics]
    public var objectTriggers: [TermObjectStatistics]
    /// Seconds per stage.
    public var timings: [String: Double]

    /// Runs every detection stage with the policy's thresholds.
    public static func run(_ request: DatasetRequest, policy: Policy, terminal: Terminal) throws -> DatasetAnalysis {
        var timings: [String: Double] = [:]
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            let start = Date()
            defer { timings[stage] = Date().timeIntervalSince(start) }
            return try body()
        }

        let scan = try timed("scan") { try DatasetScan.run(request, terminal: terminal) }
        var problems = scan.problems
        let count = scan.samples.count
        let keys = scan.samples.map(\.sample.key)

        let embeddings: EmbeddingMatrix? = timed("embeddings") {
            guard let path = request.embeddings else { return nil }
            let origin = SampleOrigin(file: path)
            do {
                let matrix = try EmbeddingMatrix(contentsOf: URL(fileURLWithPath: path))
                try matrix.checkCount(samples: count)
                for invalid in matrix.invalidRows {
                    let key = invalid.row < count ? keys[invalid.row] : nil
                    problems.append(InputProblem(
                        .invalidEmbedding, at: SampleOrigin(file: path, line: invalid.row + 1), key: key,
                        "row \(invalid.row) is \(invalid.reason.rawValue); left out of embedding evidence"))
                }
                return matrix
            } catch {
                problems.append(InputProblem(.embeddingMismatch, at: origin, "\(error); embedding evidence is off for this run"))
                return nil
            }
        }

        let clustering = try timed("cluster") {
            terminal.info("clustering \(count) samples")
            return try NearDuplicateClusterer(thresholds: policy.detect).cluster(
                features: scan.samples.map(\.features), embeddings: embeddings)
        }

        let objects: ObjectTags? = timed("objects") {
            guard let path = request.objects else { return nil }
            let ordinalOfKey = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            do {
                let tags = try ObjectTags.read(url: URL(fileURLWithPath: path), ordinalOfKey: ordinalOfKey, sampleCount: count)
                problems += tags.problems
                return tags
            } catch {
                problems.append(InputProblem(.malformedObjects, at: SampleOrigin(file: path), "\(error); objects are off for this run"))
                return nil
            }
        }

        let word = policy.triggers.word
        let object = policy.triggers.object
        let termIndex = timed("terms") {
            TermIndex.build(
                captions: scan.samples.lazy.map(\.sample.caption), minSupport: min(word.minSupport, object.minSupport),
                keeping: policy.keptTerms)
        }
        let wordStatistics = timed("word_triggers") {
            WordTriggerMiner(thresholds: word).statistics(termIndex: termIndex, clustering: clustering)
        }
        let names = ObjectNames(extraSynonyms: policy.triggers.synonyms)
        let objectStatistics = timed("object_triggers") {
            objects.map { ObjectTriggerMiner(thresholds: object, names: names).statistics(termIndex: termIndex, objects: $0) } ?? []
        }
        return DatasetAnalysis(
            scan: scan, problems: problems, clustering: clustering, termIndex: termIndex, objects: objects,
            wordStatistics: wordStatistics, objectStatistics: objectStatistics,
            wordTriggers: WordTriggerMiner.triggers(wordStatistics, thresholds: word),
            objectTriggers: ObjectTriggerMiner.triggers(objectStatistics, thresholds: object),
            timings: timings)
    }
}
