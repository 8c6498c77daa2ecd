import CurateTestSupport
import Detect
import Foundation
import Testing


@Suite struct ReaderRandomizedTests {
    @Test("random cells with delimiters, quotes and newlines survive an RFC 4180 round trip")
    func csvRoundTrip() throws {
        var random = SeededGenerator(seed: 42)
        let alphabet: [String] = ["a", "b", " ", ",", "\"", "\n", "\r\n", "\t", "é", "😀", "x,y", "\"\""]
        var rows: [[String]] = []
        for _ in 0..<300 {
            rows.append((0..<4).map { _ in
                (0..<Int.random(in: 0...6, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
            })
        }
        func quote(_ cell: String) -> String {
            // Scalars, not Characters: "\r\n" is one Character and would hide the newline.
            cell.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) || cell.isEmpty
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }
        let header = ["key", "image", "caption", "extra"]
        var text = header.joined(separator: ",") + "\r\n"
        var keyed: [[String]] = []
        for (index, row) in rows.enumerated() {
            let cells = ["k\(index)", row[1], row[2], row[3]]
            keyed.append(cells)
            text += cells.map(quote).joined(separator: ",") + (index.isMultiple(of: 2) ? "\r\n" : "\n")
        }
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("random.csv")
        try Data(text.utf8).write(to: url)
        let outcome = try readAll(try DelimitedTextReader(path: url.path, delimiter: ","))
        #expect(outcome.problems.filter { $0.kind == .malformedLine }.isEmpty)
        #expect(outcome.samples.count == keyed.count)
        for (sample, cells) in zip(outcome.samples, keyed) {
            #expect(sample.record.fields.map(\.value) == cells)
        }
    }

    @Test("randomly damaged JSON lines never crash, and every line accepted is valid JSON")
    func jsonMutations() throws {
        var random = SeededGenerator(seed: 7)
        let seeds = [
            #"{"key": "a", "image": "x.jpg", "caption": "c \"q\" \u00e9", "n": [1, -2.5e3, {"m": null}], "t": true}"#,
            #"{"k":{"a":[[],{}],"b":"\\"},"z":false}"#,
        ]
        let bytes = Array("{}[]\":,\\ aetu0123456789.-+eE".utf8)
        var splitter = JSONObjectSplitter()
        var accepted = 0
        for _ in 0..<4000 {
            var line = Array(seeds.randomElement(using: &random)!.utf8)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = Int.random(in: 0..<line.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: line[position] = bytes.randomElement(using: &random)!
                case 1: line.remove(at: position)
                default: line.insert(bytes.randomElement(using: &random)!, at: position)
                }
                if line.isEmpty { line = [UInt8(ascii: "{")] }
            }
            let ok = line.withUnsafeBytes { raw in (try? splitter.split(raw)) != nil }
            if ok {
                accepted += 1
                let parsed = try? JSONSerialization.jsonObject(with: Data(line))
                #expect(parsed is [String: Any], "\(String(decoding: line, as: UTF8.self))")
            }
        }
        #expect(accepted > 100)
    }
}
