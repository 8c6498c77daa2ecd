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
