import Curate
import Detect
import Foundation
import Testing

@Suite struct ReportFilesTests {
    @Test("JSON numbers and strings render the same way every time")
    func jsonRendering() {
        #expect(JSONValue.number(1.0).compact == "1")
        #expect(JSONValue.number(0.1).compact == "0.1")
        #expect(JSONValue.number(1.0 / 3.0).compact == "0.3333333333333333")
        #expect(JSONValue.number(.nan).compact == "null")
        #expect(JSONValue.number(1e-7).compact == "1e-07")
        #expect(JSONValue.string("a\"b\\c\nd\u{01}é").compact == #""a\"b\\c\nd\u0001é""#)
        #expect(JSONValue.sorted(["b": .int(1), "a": .array([])]).pretty == "{\n  \"a\": [],\n  \"b\": 1\n}\n")
    }

    @Test("clusters.jsonl lists members and representative by key, evidence sorted")
    func clusters() {
        let clustering = Clustering(
            clusterOf: [0, nil, 0, 1, 1, 0],
            clusters: [
                Cluster(id: 1, members: [3, 4], representative: 4, evidence: [.pdq]),
                Cluster(id: 0, members: [0, 2, 5], representative: 0, evidence: [.pdq, .exact, .phash]),
            ])
        let lines = LogWriters.clusterLines(clustering: clustering, keys: ["a", "b", "c", "d", "e", "f"])
        #expect(
            lines == [
                #"{"id":0,"size":3,"members":["a","c","f"],"representative":"a","evidence":["exact","phash","pdq"]}"#,
                #"{"id":1,"size":2,"members":["d","e"],"representative":"e","evidence":["pdq"]}"#,
            ])
    }

    @Test("triggers.json uses the statistics' contract field names, keys sorted")
    func triggers() throws {
        let before = WordStatistics(
            support: 40, dupFraction: 0.5, topCluster: 3, nTop: 20, topShare: 0.5, consistency: 1, collision: 0.24,
            pValue: 1e-9, qValue: 2e-9)
        let after = WordStatistics(
            support: 25, dupFraction: 0.2, topCluster: 3, nTop: 5, topShare: 0.2, consistency: 0.25, collision: 0.03,
            pValue: 0.2, qValue: 0.3)
        let object = ObjectStatistics(
            support: 30, withObject: 27, confidence: 0.9, baseRate: 0.1, lift: 9, mentionRate: 0.05, pValue: 1e-6,
            qValue: 1e-5)
        let report = TriggersReport(
            word: [.init(term: "starry night", before: before, after: after)],
            object: [.init(term: "astronaut", object: "flag", before: object, after: nil)])
        let text = report.text
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let word = try #require((json["word"] as? [[String: Any]])?.first)
        #expect(word["term"] as? String == "starry night")
        let stats = try #require(word["before"] as? [String: Any])
        #expect(
            Set(stats.keys) == [
                "support", "dup_fraction", "top_cluster", "n_top", "top_share", "consistency", "collision", "p_value",
                "q_value",
            ])
        #expect(stats["top_cluster"] as? Int == 3)
        let objectEntry = try #require((json["object"] as? [[String: Any]])?.first)
        #expect(objectEntry["object"] as? String == "flag")
        #expect(objectEntry["after"] is NSNull)
        #expect(
            Set((objectEntry["before"] as? [String: Any] ?? [:]).keys) == [
                "support", "with_object", "confidence", "base_rate", "lift", "mention_rate", "p_value", "q_value",
            ])
        // Round-trips through the shared Codable type.
        let decoded = try JSONDecoder().decode(WordStatistics.self, from: JSONSerialization.data(withJSONObject: stats))
        #expect(decoded == before)
        #expect(report.text == text)
        #expect(text.hasPrefix("{\n  \"object\""))
    }

    @Test("stats.json counts samples, duplicates, clusters and errors before and after")
    func stats() throws {
        let samples = [
            PlanSample(key: "a", caption: "", terms: [], cluster: 0),
            PlanSample(key: "b", caption: "", terms: [], cluster: 0),
            PlanSample(key: "c", caption: "", terms: [], cluster: 0),
            PlanSample(key: "d", caption: "", terms: [], problem: .corruptImage),
            PlanSample(key: "e", caption: "", terms: [], cluster: 1),
            PlanSample(key: "f", caption: "", terms: [], cluster: 1),
        ]
        let input = PlanInput(samples: samples)
        let policy = try PolicyLoader.parse(
            "version: 1\nactions:\n  - dedupe: {scope: near, keep: 1}\n  - remove: {missing_image: true}\n",
            file: "p.yaml")
        let plan = Planner.plan(input: input, policy: policy)
        let stats = DatasetStats(
            before: .before(input: input, problems: [.corruptImage: 1, .malformedLine: 2]),
            after: .after(input: input, plan: plan, wordTriggers: 0, objectTriggers: 0))
        #expect(stats.before.duplicates == 3)
        #expect(stats.before.clusters == 2)
        #expect(stats.after.samples == 2)
        #expect(stats.after.removed == 4)
        #expect(stats.after.duplicates == 0)
        #expect(stats.after.clusters == 0)
        #expect(stats.before.errors == ["corrupt_image": 1, "malformed_line": 2])
        #expect(stats.after.errors.isEmpty)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(stats.text.utf8)) as? [String: [String: Any]])
        #expect(json["before"]?["samples"] as? Int == 6)
        #expect((json["after"]?["triggers"] as? [String: Int]) == ["word": 0, "object": 0])
    }

    @Test("run.json records version, policy hash, inputs with digests, seed and timings")
    func runInfo() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "curate-run-\(UUID().uuidString).jsonl")
        try Data("{\"key\":\"a\"}\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let input = try RunInfo.Input.of(path: file.path)
        #expect(input.bytes == 12)
        #expect(input.digest == "fnv1a64:" + stableDigest(Array("{\"key\":\"a\"}\n".utf8)))
        let run = RunInfo(
            toolVersion: CurateInfo.version, command: "apply", policyName: "p", policyFile: "p.yaml",
            policyHash: "0123456789abcdef",
            seed: 7, inputs: [input], timings: ["scan": 1.23456, "plan": 0.0004])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.text.utf8)) as? [String: Any])
        #expect(json["seed"] as? Int == 7)
        #expect((json["policy"] as? [String: String])?["hash"] == "0123456789abcdef")
        #expect((json["timings"] as? [String: Double])?["scan"] == 1.235)
        #expect(json["tool_version"] as? String == CurateInfo.version)
    }
}
