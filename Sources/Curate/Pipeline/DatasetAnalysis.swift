import Detect
import Foundation

/// A dataset read, scanned, clustered and mined: everything `stats`, `audit` and `apply` share.
public struct DatasetAnalysis: Sendable {
    /// The scan, its features released after clustering (``images`` keeps each image's size and quality).
    public var scan: ScanResult
    /// Each sample's image size and PDQ quality, distinct images held once.
    public var images: SampleImageFacts
    /// Every problem: the scan's plus those found in embeddings and object tags.
    public var problems: [InputProblem]
    public var clustering: Clustering
    public var termIndex: TermIndex
    /// How `termIndex` was pruned, so the planned output's captions are indexed the same way.
    public var termMinSupport: Int
    public var termKeeping: Set<String>
    public var objects: ObjectTags?
    /// Each sample's weight from `DatasetRequest.weightField` (a list `rebalance` reweighted earlier); nil when no
    /// record has one (every sample weighs 1). The trigger statistics above are weighted by it.
    public var weights: [Double]?
    /// Groups of near-identical captions (MinHash), as sample ordinals.
    public var captionClusters: [[Int]]
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
            if stage != "scan" { terminal.begin(stage.replacingOccurrences(of: "_", with: " ")) }
            defer {
                timings[stage] = Date().timeIntervalSince(start)
                terminal.endProgress()
            }
            return try body()
        }

        // Records are read again when the outputs are written (`InputReplay`); the scan keeps only selected fields.
        var request = request
        request.scan.keptRecordFields = policy.selectedFields.union(request.weightField.map { [$0] } ?? [])
        var scan = try timed("scan") { try DatasetScan.run(request, terminal: terminal) }
        var problems = scan.problems
        let count = scan.count
        let keys = scan.keys
        let weights = request.weightField.flatMap { field in
            Self.weights(of: scan, field: field, input: request.inputs.first ?? "", problems: &problems)
        }

        let embeddings: EmbeddingMatrix? = timed("embeddings") {
            guard let path = request.embeddings else { return nil }
            let origin = SampleOrigin(file: path)
            do {
                let matrix = try EmbeddingMatrix(contentsOf: URL(fileURLWithPath: path))
                try matrix.checkCount(samples: count)
                for invalid in matrix.invalidRows {
                    let key = invalid.row < count ? keys[invalid.row] : nil
                    // In a folder of shards, the shard and the row within it: the row a user can look up.
                    let (file, row) = matrix.location(ofRow: invalid.row)
                    let place = file == path ? "row \(row)" : "row \(row) of this shard (sample \(invalid.row))"
                    problems.append(InputProblem(
                        .invalidEmbedding, at: SampleOrigin(file: file, line: row + 1), key: key,
                        "\(place) \(invalid.reason == .zero ? "is all zeros" : "holds NaN or infinity");"
                            + " left out of embedding evidence"))
                }
                return matrix
            } catch {
                problems.append(InputProblem(.embeddingMismatch, at: origin, "\(error); embedding evidence is off for this run"))
                return nil
            }
        }

        let (clustering, clusteringReport) = try timed("cluster") {
            try NearDuplicateClusterer(thresholds: policy.detect).clusterWithReport(scan.features, embeddings: embeddings)
        }
        // Where the cluster stage went (pHash, PDQ, embeddings, …): the part that grows fastest with the rows.
        for (part, seconds) in clusteringReport.seconds { timings["cluster_" + part] = seconds }
        let images = scan.releaseFeatures()

        // A detector's file and zero-shot concepts may be given together: each sample has the objects of both.
        let objects: ObjectTags? = timed("objects") {
            var found: [ObjectTags] = []
            if let path = request.objects {
                let ordinalOfKey = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
                do {
                    let tags = try ObjectTags.read(
                        url: URL(fileURLWithPath: path), ordinalOfKey: ordinalOfKey, sampleCount: count,
                        minScore: policy.triggers.object.minScore)
                    problems += tags.problems
                    if tags.belowScore > 0 {
                        terminal.info(
                            "\(path): \(tags.belowScore) scored detection\(tags.belowScore == 1 ? "" : "s") under"
                                + " triggers.object.min_score \(policy.triggers.object.minScore) left out")
                    }
                    // One problem for all of them: a cleaned list read with the full tags file has thousands.
                    if let first = tags.unknownKeys.first {
                        let count = tags.unknownKeys.count
                        problems.append(
                            InputProblem(
                                .unknownObjectKey, at: first.origin, key: first.key,
                                "\(count) line\(count == 1 ? "" : "s") of the objects file name\(count == 1 ? "s" : "")"
                                    + " a key no sample has (this is the first); their objects are ignored."
                                    + " Expected when the dataset is part of the one tagged, such as a cleaned manifest"))
                    }
                    found.append(tags)
                } catch {
                    problems.append(InputProblem(.malformedObjects, at: SampleOrigin(file: path), "\(error); objects of this file are off for this run"))
                }
            }
            if let path = request.concepts, let labels = request.conceptLabels, let embeddings {
                do {
                    let concepts = try EmbeddingMatrix(contentsOf: URL(fileURLWithPath: path))
                    let tagger = try ConceptTagger(
                        concepts: concepts, labelsFile: URL(fileURLWithPath: labels),
                        minCosine: policy.triggers.object.conceptMinCosine)
                    found.append(try tagger.tags(for: embeddings))
                } catch {
                    problems.append(InputProblem(.embeddingMismatch, at: SampleOrigin(file: path), "\(error); zero-shot objects are off for this run"))
                }
            }
            return found.dropFirst().reduce(found.first) { merged, next in merged?.merged(with: next) }
        }

        let word = policy.triggers.word
        let object = policy.triggers.object
        let names = ObjectNames(extraSynonyms: policy.triggers.synonyms)
        // Object names stay in the index whatever their support, so mention rates count every caption naming one.
        let objectNames = objects.map { names.allNames(of: $0.labels) } ?? []
        let termMinSupport = min(word.minSupport, object.minSupport)
        let termKeeping = policy.keptTerms.union(objectNames)
        let termIndex = timed("terms") {
            TermIndex.build(
                captions: scan.captions, minSupport: termMinSupport, keeping: termKeeping)
        }
        let captionClusters = timed("caption_clusters") {
            CaptionMinHash().groups(of: scan.captions)
        }
        let wordStatistics = timed("word_triggers") {
            WordTriggerMiner(thresholds: word).statistics(termIndex: termIndex, clustering: clustering, weights: weights)
        }
        let objectStatistics = timed("object_triggers") {
            objects.map {
                ObjectTriggerMiner(thresholds: object, names: names).statistics(
                    termIndex: termIndex, objects: $0, weights: weights)
            } ?? []
        }
        return DatasetAnalysis(
            scan: scan, images: images, problems: problems, clustering: clustering, termIndex: termIndex,
            termMinSupport: termMinSupport, termKeeping: termKeeping, objects: objects, weights: weights,
            captionClusters: captionClusters,
            wordStatistics: wordStatistics, objectStatistics: objectStatistics,
            wordTriggers: WordTriggerMiner.triggers(wordStatistics, thresholds: word),
            objectTriggers: ObjectTriggerMiner.triggers(objectStatistics, thresholds: object),
            timings: timings)
    }
}
