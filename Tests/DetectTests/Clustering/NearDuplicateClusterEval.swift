import Detect
import Dispatch
import Foundation
import Testing

/// End-to-end near-duplicate accuracy through the real ``NearDuplicateClusterer`` with its default thresholds, on
/// a benchmark from scripts/make-neardup-eval.py (real photos, 16 transforms; manifest lines carry `path`, `group`,
/// `transform`). Scored as pairs: every two members of a predicted cluster are a predicted pair; a true pair shares
/// a group. Prints pair precision / recall / F1, how many distinct groups were merged with another group, and F1
/// per transform (originals plus that transform's copies, clustered on their own). Skipped unless
/// CURATE_NEARDUP_EVAL names the manifest. Run in release mode:
///
///     CURATE_NEARDUP_EVAL=/work/eval/neardup/manifest.jsonl swift test -c release --filter NearDuplicateClusterEval
///
/// CURATE_NEARDUP_BASELINE=1 also scores the clusterer as it was before crop views (pHash 10, PDQ 31, views
/// as-is / mirrored / trimmed); CURATE_NEARDUP_SWEEP=1 also sweeps pHash and PDQ thresholds around the defaults; CURATE_NEARDUP_COST=1 also
/// extracts without the crop views to report their hashing cost (images/s). CURATE_NEARDUP_ROTATIONS="5,-5" and
/// CURATE_NEARDUP_ROTATION_SHARE=0.85 change the turned views, CURATE_NEARDUP_NO_INSET=1 leaves out the inset view, CURATE_NEARDUP_NO_SQUARE=1 the centre-crop views,
/// CURATE_NEARDUP_ASPECTS="1,1.333" sets their aspect ratios;
/// CURATE_NEARDUP_PDQ_EXACT=1 makes the PDQ pair search exact (no cap on its chunk radii); CURATE_NEARDUP_NO_WEAK=1
/// treats weak pHash links as strong ones; CURATE_NEARDUP_NO_PAGE_RULE=1 lets pages link
/// through their frames (``NearDuplicateClusterer/pageMaximumPictureShare``); CURATE_NEARDUP_MIN_TEXTURE=T
/// sets `FeatureOptions.minimumViewTexture`.
@Suite struct NearDuplicateClusterEval {
    static let environment = ProcessInfo.processInfo.environment
    static let manifest = environment["CURATE_NEARDUP_EVAL"]

    struct Item {
        var path: String
        var group: Int
        var transform: String
    }

    struct Score {
        var precision: Double
        var recall: Double
        var f1: Double
        var mergedGroups: Int
    }

    /// Pair precision / recall / F1 of `clustering` against the items' groups.
    static func score(_ clustering: Clustering, groups: [Int]) -> Score {
        func pairs(_ n: Int) -> Int { n * (n - 1) / 2 }
        var joint: [Int: [Int: Int]] = [:]  // cluster -> group -> count
        var label = [Int](repeating: 0, count: groups.count)
        for i in groups.indices { label[i] = clustering.clusterOf[i].map { $0 } ?? (-1 - i) }
        for i in groups.indices { joint[label[i], default: [:]][groups[i], default: 0] += 1 }
        var truePairs = 0
        var predicted = 0
        var merged = Set<Int>()
        for byGroup in joint.values {
            truePairs += byGroup.values.reduce(0) { $0 + pairs($1) }
            predicted += pairs(byGroup.values.reduce(0, +))
            if byGroup.count > 1 { merged.formUnion(byGroup.keys) }
        }
        var groupSizes: [Int: Int] = [:]
        for g in groups { groupSizes[g, default: 0] += 1 }
        let actual = groupSizes.values.reduce(0) { $0 + pairs($1) }
        let precision = predicted == 0 ? 1 : Double(truePairs) / Double(predicted)
        let recall = actual == 0 ? 1 : Double(truePairs) / Double(actual)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        return Score(precision: precision, recall: recall, f1: f1, mergedGroups: merged.count)
    }

    static func extract(_ items: [Item], options: FeatureOptions) -> (features: [ImageFeatures?], seconds: Double) {
        let start = Date()
        nonisolated(unsafe) var out = [ImageFeatures?](repeating: nil, count: items.count)
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let buffer = buffer
            DispatchQueue.concurrentPerform(iterations: items.count) { i in
                guard let data = try? Data(contentsOf: URL(fileURLWithPath: items[i].path)) else { return }
                buffer[i] = try? FeatureExtractor.features(of: data, options: options)
            }
        }
        return (out, Date().timeIntervalSince(start))
    }

    static func line(_ s: Score) -> String {
        String(format: "P=%.3f R=%.3f F1=%.3f merged_groups=%d", s.precision, s.recall, s.f1, s.mergedGroups)
    }

    @Test("clusters the benchmark with the default thresholds", .enabled(if: manifest != nil))
    func evaluate() throws {
        let manifestURL = URL(fileURLWithPath: try #require(Self.manifest))
        var items: [Item] = []
        for line in try String(contentsOf: manifestURL, encoding: .utf8).split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            items.append(
                Item(
                    path: try #require(object["path"] as? String), group: try #require(object["group"] as? Int),
                    transform: try #require(object["transform"] as? String)))
        }
        var options = FeatureOptions()
        if let angles = Self.environment["CURATE_NEARDUP_ROTATIONS"] {
            options.rotationDegrees = angles.split(separator: ",").compactMap { Double($0) }
        }
        if let share = Self.environment["CURATE_NEARDUP_ROTATION_SHARE"].flatMap(Double.init) { options.rotationShare = share }
        if Self.environment["CURATE_NEARDUP_NO_INSET"] != nil { options.insetView = false }
        if Self.environment["CURATE_NEARDUP_NO_CAPTION_CUT"] != nil { options.cutsCaptions = false }
        if Self.environment["CURATE_NEARDUP_NO_ORIENTATIONS"] != nil { options.orientationViews = false }
        if Self.environment["CURATE_NEARDUP_NO_FRAMED"] != nil { options.framedInset = false }
        if Self.environment["CURATE_NEARDUP_NO_SQUARE"] != nil { options.centreCropAspects = [] }
        if let aspects = Self.environment["CURATE_NEARDUP_ASPECTS"] {
            options.centreCropAspects = aspects.split(separator: ",").compactMap { Double($0) }
        }
        if let texture = Self.environment["CURATE_NEARDUP_MIN_TEXTURE"].flatMap(Double.init) {
            options.minimumViewTexture = texture
        }
        let (features, seconds) = Self.extract(items, options: options)
        #expect(features.allSatisfy { $0 != nil })
        print(String(format: "extracted %d images in %.1f s (%.0f images/s, all cores)", items.count, seconds, Double(items.count) / seconds))
        if Self.environment["CURATE_NEARDUP_COST"] != nil {
            var plain = FeatureOptions()
            plain.cropShares = []
            let (_, plainSeconds) = Self.extract(items, options: plain)
            print(String(format: "without crop views: %.1f s (%.0f images/s)", plainSeconds, Double(items.count) / plainSeconds))
        }
        let groups = items.map(\.group)

        func run(_ thresholds: DetectThresholds, subset: [Int]? = nil, on features: [ImageFeatures?] = features) throws -> Score {
            let indices = subset ?? Array(items.indices)
            var clusterer = NearDuplicateClusterer(thresholds: thresholds)
            if Self.environment["CURATE_NEARDUP_PDQ_EXACT"] != nil { clusterer.pdqMaximumChunkRadius = nil }
            if Self.environment["CURATE_NEARDUP_NO_WEAK"] != nil { clusterer.weighsPHashLinks = false }
            if Self.environment["CURATE_NEARDUP_NO_PAGE_RULE"] != nil { clusterer.pageMaximumPictureShare = nil }
            if let faint = Self.environment["CURATE_NEARDUP_MIN_FAINT_QUALITY"].flatMap(Int.init) {
                clusterer.minimumFaintQuality = faint
            }
            if let quality = Self.environment["CURATE_NEARDUP_MIN_PHASH_QUALITY"].flatMap(Int.init) {
                clusterer.minimumPHashQuality = quality
            }
            let clustering = try clusterer.cluster(features: indices.map { features[$0] })
            return Self.score(clustering, groups: indices.map { groups[$0] })
        }
        var transforms: [String] = []
        for item in items where item.transform != "original" && !transforms.contains(item.transform) {
            transforms.append(item.transform)
        }

        if Self.environment["CURATE_NEARDUP_BASELINE"] != nil {
            // The clusterer before crop views: as-is, mirrored and trimmed views only, pHash 10 / PDQ 31.
            let old = features.map { f in f.map { var f = $0; f.centered = nil; f.cropPHashes = []; return f } }
            var t = DetectThresholds()
            t.phashMaxDistance = 10
            t.pdqMaxDistance = 31
            print("baseline (views as-is/mirrored/trimmed, phash 10, pdq 31): \(Self.line(try run(t, on: old)))")
            for transform in transforms {
                let subset = items.indices.filter { items[$0].transform == "original" || items[$0].transform == transform }
                let s = try run(t, subset: subset, on: old)
                print("  \(transform.padding(toLength: 28, withPad: " ", startingAt: 0)) F1=\(String(format: "%.3f", s.f1)) merged_groups=\(s.mergedGroups)")
            }
        }

        var defaults = DetectThresholds()
        if let dhash = Self.environment["CURATE_NEARDUP_DHASH"].flatMap(Int.init) { defaults.dhashMaxDistance = dhash }
        let overall = try run(defaults)
        print("defaults (phash \(defaults.phashMaxDistance.map(String.init) ?? "off"), dhash \(defaults.dhashMaxDistance.map(String.init) ?? "off"), pdq \(defaults.pdqMaxDistance.map(String.init) ?? "off")): \(Self.line(overall))")
        // The PDQ search's chunk-radius cap against the exact search: sample pairs found by each.
        var exact = NearDuplicateClusterer(thresholds: defaults)
        exact.pdqMaximumChunkRadius = nil
        let exactLinks = try exact.clusterWithReport(features: features).report.linksByEvidence[.pdq] ?? 0
        let cappedLinks = try NearDuplicateClusterer(thresholds: defaults).clusterWithReport(features: features)
            .report.linksByEvidence[.pdq] ?? 0
        print("pdq sample pairs: capped search \(cappedLinks), exact search \(exactLinks)")
        for transform in transforms {
            let subset = items.indices.filter { items[$0].transform == "original" || items[$0].transform == transform }
            let s = try run(defaults, subset: subset)
            print("  \(transform.padding(toLength: 28, withPad: " ", startingAt: 0)) F1=\(String(format: "%.3f", s.f1)) merged_groups=\(s.mergedGroups)")
        }
        if Self.environment["CURATE_NEARDUP_SWEEP"] != nil {
            for phash in [nil, 6, 7, 8] as [Int?] {
                for pdq in [nil, 31, 36, 40, 44, 50] as [Int?] {
                    var t = defaults
                    t.phashMaxDistance = phash
                    t.pdqMaxDistance = pdq
                    print("  sweep phash \(phash.map(String.init) ?? "off") pdq \(pdq.map(String.init) ?? "off"): \(Self.line(try run(t)))")
                }
            }
        }
        // The issue's target, measured on this benchmark with the defaults.
        #expect(overall.f1 >= 0.93)
    }
}
