import CurateTestSupport
import Detect
import Foundation

/// Everything a reader yielded, split by kind, in order.
struct ReadOutcome {
    var samples: [Sample] = []
    var sources: [ImageSource] = []
    var problems: [InputProblem] = []
    /// `"sample:KEY"` / `"problem:KIND"` in the order yielded.
    var sequence: [String] = []

    func sample(_ key: String) -> Sample? { samples.first { $0.key == key } }
    func source(_ key: String) -> ImageSource? { samples.firstIndex { $0.key == key }.map { sources[$0] } }
    func problems(_ kind: ProblemKind) -> [InputProblem] { problems.filter { $0.kind == kind } }
}

/// Drains `reader`.
func readAll<Reader: SampleReader>(_ reader: Reader) throws -> ReadOutcome {
    var reader = reader
    var outcome = ReadOutcome()
    while let item = try reader.next() {
        switch item {
        case .sample(let sample, let source):
            outcome.samples.append(sample)
            outcome.sources.append(source)
            outcome.sequence.append("sample:\(sample.key)")
        case .problem(let problem):
            outcome.problems.append(problem)
            outcome.sequence.append("problem:\(problem.kind.rawValue)")
        }
    }
    return outcome
}

/// A path under `Tests/Fixtures/readers/`.
func readerFixture(_ relative: String) -> String {
    Fixtures.url("readers/" + relative).path
}

extension ImageSource {
    /// The file URL, when the image is a resolved local file.
    var fileURL: URL? {
        if case .file(let url) = self { return url }
        return nil
    }

    /// The bytes, when the image came from a container.
    var bytes: Data? {
        if case .bytes(let data) = self { return data }
        return nil
    }

    /// The reason, when there is no image.
    var missingKind: ProblemKind? {
        if case .missing(let kind) = self { return kind }
        return nil
    }
}

/// Writes a ustar archive of `members` in the given order (names under 100 bytes): a webdataset shard laid out
/// exactly as a test needs it, adjacent or not.
func writeShard(_ members: [(name: String, data: Data)], to url: URL) throws {
    var tar = Data()
    for (name, data) in members {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) {
            for (i, byte) in text.utf8.enumerated() { header[offset + i] = byte }
        }
        put(name, at: 0)
        put("0000644", at: 100)
        put("0000000", at: 108)
        put("0000000", at: 116)
        put(String(data.count, radix: 8).leftPadded(to: 11), at: 124)
        put("00000000000", at: 136)
        put("        ", at: 148)  // the checksum counts its own field as spaces
        put("0", at: 156)
        put("ustar\u{0}00", at: 257)
        let sum = header.reduce(0) { $0 + Int($1) }
        put(String(sum, radix: 8).leftPadded(to: 6) + "\u{0} ", at: 148)
        tar += header + data + Data(count: (512 - data.count % 512) % 512)
    }
    try (tar + Data(count: 1024)).write(to: url)
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
