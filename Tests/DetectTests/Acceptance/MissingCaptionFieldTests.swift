import CurateTestSupport
import Detect
import Foundation
import Testing

/// A row without its caption field is named, like a row without its image field: otherwise a misspelt
/// `--caption-field` empties every caption and an audit finds no trigger, exits 0, and reports nothing.
@Suite struct MissingCaptionFieldTests {
    /// A folder with one real photograph and `name` holding `text`.
    func manifest(_ name: String, _ text: String) throws -> String {
        let folder = try Fixtures.temporaryFolder()
        try FileManager.default.copyItem(at: Fixtures.photos[0], to: folder.appendingPathComponent("a.jpg"))
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a JSONL row without any caption alias is a missing_field problem on its line")
    func jsonlRowWithoutCaption() throws {
        let path = try manifest(
            "rows.jsonl",
            """
            {"key": "with", "image": "a.jpg", "caption": "a photo"}
            {"key": "without", "image": "a.jpg", "description": "a photo"}

            """)
        let outcome = try readAll(try JSONLReader(path: path))
        #expect(outcome.samples.map(\.key) == ["with", "without"])
        #expect(outcome.sample("without")?.caption == "")
        let problems = outcome.problems(.missingField)
        #expect(problems.count == 1)
        #expect(problems.first?.key == "without")
        #expect(problems.first?.origin == SampleOrigin(file: path, line: 2))
        #expect(problems.first?.description.contains("--caption-field") == true)
    }

    @Test("a misspelt --caption-field names the field it looked for on every CSV row")
    func misspeltCaptionFieldOverride() throws {
        let path = try manifest("rows.csv", "key,image,caption\nx,a.jpg,a photo\ny,a.jpg,another photo\n")
        let reader = try DelimitedTextReader(path: path, delimiter: ",", fields: FieldNames(caption: "captn"))
        let outcome = try readAll(reader)
        #expect(outcome.samples.map(\.caption) == ["", ""])
        #expect(outcome.problems(.missingField).map(\.key) == ["x", "y"])
        #expect(outcome.problems.allSatisfy { $0.description.contains("\"captn\"") })
    }
}
