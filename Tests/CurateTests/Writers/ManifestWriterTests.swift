import CSV
@testable import Curate
import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct ManifestWriterTests {
    /// A JSONL line split into its fields' raw source text, as the JSONL reader keeps them.
    static let lines = [
        #"{"key":"a","caption":"Starry Night by Van Gogh","price":1.50,"meta":{"z":[1,2.0e3,-0.0],"a":null},"ok":true,"note":"caf\u00e9 \"quoted\""}"#,
        #"{"key":"b","caption":"a cat","price":10,"meta":{},"ok":false,"note":""}"#,
        #"{"key":"c","caption":"removed one","price":0.1,"meta":[],"ok":null,"note":"x"}"#,
    ]
    static let fields: [[(String, String)]] = [
        [
            ("key", #""a""#), ("caption", #""Starry Night by Van Gogh""#), ("price", "1.50"),
            ("meta", #"{"z":[1,2.0e3,-0.0],"a":null}"#), ("ok", "true"), ("note", #""caf\u00e9 \"quoted\"""#),
        ],
        [
            ("key", #""b""#), ("caption", #""a cat""#), ("price", "10"), ("meta", "{}"), ("ok", "false"),
            ("note", #""""#),
        ],
        [
            ("key", #""c""#), ("caption", #""removed one""#), ("price", "0.1"), ("meta", "[]"), ("ok", "null"),
            ("note", #""x""#),
        ],
    ]

    static func input() -> PlanInput {
        let captions = ["Starry Night by Van Gogh", "a cat", "removed one"]
        return PlanInput(
            samples: (0..<3).map { i in
                PlanSample(
                    key: ["a", "b", "c"][i], caption: captions[i], terms: [], cluster: i == 2 ? 4 : nil,
                    record: Record(encoding: .json, fields: fields[i].map { Record.Field(name: $0.0, value: $0.1) }))
            })
    }

    static func plan(rewrite: Bool, weight: Bool) -> Plan {
        var decisions = input().samples.map { SampleDecision(key: $0.key, caption: $0.caption, terms: []) }
        decisions[2].removal = Removal(reason: "duplicate", rule: "actions[0].dedupe")
        if rewrite {
            decisions[0].changes = [
                CaptionChange(
                    before: "Starry Night by Van Gogh", after: "Starry Night by \"a\" painter",
                    rule: "actions[1].rewrite_captions")
            ]
            decisions[0].caption = "Starry Night by \"a\" painter"
        }
        if weight { decisions[1].weight = 0.25 }
        return Plan(decisions: decisions, actions: [])
    }

    @Test("JSONL passes every untouched field through byte for byte")
    func jsonlPassThrough() {
        let text = ManifestWriter.render(
            input: Self.input(), plan: Self.plan(rewrite: false, weight: false), format: .jsonl, captionField: "caption"
        )
        #expect(text == Self.lines[0] + "\n" + Self.lines[1] + "\n")
    }

    @Test("JSONL re-encodes only a rewritten caption and gives a weight only to the reweighted row")
    func jsonlRewriteAndWeight() throws {
        let text = ManifestWriter.render(
            input: Self.input(), plan: Self.plan(rewrite: true, weight: true), format: .jsonl, captionField: "caption")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        // Row a was rewritten, not reweighted: no weight (a missing weight reads as 1).
        #expect(
            lines[0]
                == #"{"key":"a","caption":"Starry Night by \"a\" painter","price":1.50,"meta":{"z":[1,2.0e3,-0.0],"a":null},"ok":true,"note":"caf\u00e9 \"quoted\""}"#
        )
        #expect(lines[1] == #"{"key":"b","caption":"a cat","price":10,"meta":{},"ok":false,"note":"","weight":0.25}"#)
    }

    @Test("CSV quoting survives a round trip through a CSV parser", arguments: [ManifestFormat.csv, .tsv])
    func csvRoundTrip(format: ManifestFormat) throws {
        let cells = [
            ["k1", "plain caption", "1.50"],
            ["k2", "comma, inside", "x"],
            ["k3", "a \"quoted\" word", "tab\there"],
            ["k4", "two\nlines\r\nand CRLF", ""],
            ["k5", "", "trailing space "],
        ]
        let samples = cells.map { row in
            PlanSample(
                key: row[0], caption: row[1], terms: [],
                record: Record(
                    encoding: .text,
                    fields: [
                        .init(name: "key", value: row[0]), .init(name: "caption", value: row[1]),
                        .init(name: "extra", value: row[2]),
                    ]))
        }
        let input = PlanInput(samples: samples)
        var decisions = samples.map { SampleDecision(key: $0.key, caption: $0.caption, terms: []) }
        decisions[1].caption = "rewritten, \"again\""
        decisions[1].changes = [CaptionChange(before: "comma, inside", after: decisions[1].caption, rule: "r")]
        decisions[2].weight = 0.5
        let text = ManifestWriter.render(
            input: input, plan: Plan(decisions: decisions, actions: []), format: format, captionField: "caption")
        let reader = try CSVReader(string: text, hasHeaderRow: true, delimiter: format == .csv ? "," : "\t")
        #expect(reader.headerRow == ["key", "caption", "extra", "weight"])
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        var expected = cells.map { $0 + ["1"] }
        expected[1][1] = "rewritten, \"again\""
        expected[2][3] = "0.5"
        #expect(rows == expected)
    }

    @Test("RFC 4180 quoting doubles quotes and leaves plain cells alone")
    func quoting() {
        #expect(ManifestWriter.quoted("plain", delimiter: ",") == "plain")
        #expect(ManifestWriter.quoted("a,b", delimiter: ",") == "\"a,b\"")
        #expect(ManifestWriter.quoted("a,b", delimiter: "\t") == "a,b")
        #expect(ManifestWriter.quoted("say \"hi\"", delimiter: ",") == "\"say \"\"hi\"\"\"")
        #expect(ManifestWriter.quoted("line\nbreak", delimiter: ",") == "\"line\nbreak\"")
    }

    @Test("removed.jsonl keeps the original record and adds reason, rule and cluster")
    func removedLog() throws {
        let lines = LogWriters.removedLines(input: Self.input(), plan: Self.plan(rewrite: true, weight: false))
        #expect(
            lines == [
                #"{"key":"c","caption":"removed one","price":0.1,"meta":[],"ok":null,"note":"x","reason":"duplicate","rule":"actions[0].dedupe","cluster":4}"#
            ])
        let changes = LogWriters.changeLines(plan: Self.plan(rewrite: true, weight: false))
        #expect(
            changes == [
                #"{"key":"a","before":"Starry Night by Van Gogh","after":"Starry Night by \"a\" painter","rule":"actions[1].rewrite_captions"}"#
            ])
    }

    @Test("an existing weight field is multiplied by the plan's weight, in place")
    func existingWeight() {
        let sample = PlanSample(
            key: "w", caption: "c", terms: [],
            record: Record(
                encoding: .json,
                fields: [.init(name: "key", value: "\"w\""), .init(name: "weight", value: "2.0"), .init(name: "caption", value: "\"c\"")]))
        var decision = SampleDecision(key: "w", caption: "c", terms: [])
        decision.weight = 0.25
        let text = ManifestWriter.render(
            input: PlanInput(samples: [sample]), plan: Plan(decisions: [decision], actions: []), format: .jsonl,
            captionField: "caption")
        #expect(text == #"{"key":"w","weight":0.5,"caption":"c"}"# + "\n")
    }
}

@Suite struct TarManifestWeightTests {
    @Test("a shard's JSON member gains the weight in its own text, or multiplies a weight it had")
    func weights() throws {
        func text(_ json: String, _ weight: Double) -> String {
            String(decoding: TarManifest.withWeight(Data(json.utf8), weight), as: UTF8.self)
        }
        #expect(text("{\"url\": \"http://x\", \"w\": [1, 2]}\n", 0.5) == "{\"url\": \"http://x\", \"w\": [1, 2], \"weight\": 0.5}")
        #expect(text("{}", 2) == "{\"weight\": 2}")
        #expect(text("{\"weight\": 3, \"a\": 1}", 0.5) == "{\"a\":1,\"weight\":1.5}")
        #expect(text("[1]", 0.25) == "{\"weight\":0.25}")
    }
}
