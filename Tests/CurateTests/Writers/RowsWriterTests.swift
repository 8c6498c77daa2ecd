import CurateTestSupport
import Detect
import Foundation
import Testing

@testable import Curate

/// The run's writers stream records from a second read of the inputs; these tests hold that stream to the
/// in-memory rendering of the same plan, and check that changed inputs stop the write.
@Suite struct RowsWriterTests {
    static let csv = #"""
        key,image,caption,score
        a,images/cat.jpg,"a cat, on a sofa",1.50
        b,images/cat.jpg,"said ""hi""",2
        c,images/astronaut.jpg,an astronaut,
        d,images/astronaut.jpg,removed one,0.1

        """#

    /// A folder with the manifest `name` holding `text`.
    func dataset(_ name: String, _ text: String) throws -> (folder: URL, request: DatasetRequest) {
        let folder = try Fixtures.temporaryFolder()
        let manifest = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: manifest)
        return (folder, DatasetRequest(inputs: [manifest.path], indexPath: folder.appendingPathComponent("i.sqlite").path))
    }

    /// Every sample the reader yields, as the planner would see it (whole records).
    func planInput(_ request: DatasetRequest) throws -> PlanInput {
        var reader = try DatasetReader(inputs: request.inputs)
        var samples: [PlanSample] = []
        while let item = try reader.next() {
            if case .sample(let sample, _) = item {
                samples.append(
                    PlanSample(
                        key: sample.key, caption: sample.caption, terms: [], cluster: samples.count == 3 ? 0 : nil,
                        record: sample.record))
            }
        }
        return PlanInput(samples: samples)
    }

    func plan(_ input: PlanInput) -> Plan {
        var decisions = input.samples.map { SampleDecision(key: $0.key, caption: $0.caption, terms: []) }
        decisions[3].removal = Removal(reason: "duplicate", rule: "actions[0].dedupe")
        decisions[1].changes = [CaptionChange(before: decisions[1].caption, after: "said hello", rule: "actions[1]")]
        decisions[1].caption = "said hello"
        decisions[2].weight = 0.5
        return Plan(decisions: decisions, actions: [])
    }

    func written(_ request: DatasetRequest, _ input: PlanInput, _ plan: Plan, _ format: ManifestFormat, in folder: URL)
        throws -> (manifest: String, removed: String)
    {
        let manifestURL = folder.appendingPathComponent("out." + format.rawValue)
        let removedURL = folder.appendingPathComponent("removed.jsonl")
        let manifest = try AtomicFile(manifestURL)
        let removed = try AtomicFile(removedURL)
        var replay = try InputReplay(request, keys: input.samples.map(\.key))
        let fieldNames = ManifestWriter.fieldNames(input)
        try RowsWriter(plan: plan, clusterOf: input.samples.map(\.cluster), captionField: "caption")
            .write(&replay, removed: removed, manifest: .init(file: manifest, format: format, fieldNames: fieldNames))
        try manifest.commit()
        try removed.commit()
        return (try String(contentsOf: manifestURL, encoding: .utf8), try String(contentsOf: removedURL, encoding: .utf8))
    }

    @Test("CSV and JSONL streamed from a second read equal the in-memory rendering, removed rows included")
    func streamEqualsRendering() throws {
        let jsonl = Self.csv.split(separator: "\n").dropFirst().map { line -> String in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            return #"{"key": "\#(cells[0])", "image": "\#(cells[1])", "caption": "x \#(cells[0])", "n": [1, 2.50]}"#
        }.joined(separator: "\n") + "\n"
        for (name, text, format) in [("m.csv", Self.csv, ManifestFormat.csv), ("m.jsonl", jsonl, .jsonl)] {
            let (folder, request) = try dataset(name, text)
            defer { try? FileManager.default.removeItem(at: folder) }
            let input = try planInput(request)
            #expect(input.samples.count == 4)
            let plan = plan(input)
            let out = try written(request, input, plan, format, in: folder)
            #expect(out.manifest == ManifestWriter.render(input: input, plan: plan, format: format, captionField: "caption"))
            #expect(out.removed == LogWriters.text(LogWriters.removedLines(input: input, plan: plan)))
            #expect(out.removed.contains("\"cluster\":0"))
            #expect(out.manifest.contains("said hello"))
            #expect(!out.manifest.contains("removed one") && !out.manifest.contains("\"d\""))
            if format == .jsonl {
                // Without weights an untouched row is its source line, spaces and number spelling included.
                var unweighted = plan
                unweighted.decisions[2].weight = nil
                let lines = try written(request, input, unweighted, format, in: folder).manifest.split(separator: "\n")
                let source = text.split(separator: "\n")
                #expect(lines[0] == source[0] && lines[2] == source[2])
                #expect(lines[0].contains("\"n\": [1, 2.50]"))
                #expect(lines[1] != source[1] && lines[1].contains("said hello"))
            }
        }
    }

    @Test("a manifest edited between scan and write stops the write and names the sample")
    func changedInputStops() throws {
        let (folder, request) = try dataset("m.csv", Self.csv)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try planInput(request)
        let plan = plan(input)
        // Row 3's key changes after the scan.
        try Data(Self.csv.replacingOccurrences(of: "\nc,", with: "\nz,").utf8).write(to: URL(fileURLWithPath: request.inputs[0]))
        do {
            _ = try written(request, input, plan, .csv, in: folder)
            Issue.record("the write went on over a changed input")
        } catch let error as InputChangedError {
            #expect(error.description.contains("\"z\""))
            #expect(error.description.contains("\"c\""))
        }
        // A row appended after the scan stops it too.
        try Data((Self.csv + "e,images/cat.jpg,late,1\n").utf8).write(to: URL(fileURLWithPath: request.inputs[0]))
        #expect(throws: InputChangedError.self) { _ = try written(request, input, plan, .csv, in: folder) }
        // A row dropped after the scan as well.
        try Data(Self.csv.replacingOccurrences(of: "d,images/astronaut.jpg,removed one,0.1\n", with: "").utf8)
            .write(to: URL(fileURLWithPath: request.inputs[0]))
        #expect(throws: InputChangedError.self) { _ = try written(request, input, plan, .csv, in: folder) }
    }
}
