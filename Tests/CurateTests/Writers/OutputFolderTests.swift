import Curate
import CurateTestSupport
import Foundation
import Testing

@Suite struct OutputFolderTests {
    /// Every entry of a folder, hidden ones included.
    static func entries(_ url: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
    }

    @Test("a new output folder appears complete, with no temporary or staging files left")
    func newFolder() throws {
        let parent = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("out")
        let folder = try OutputFolder(out)
        try folder.write("stats.json", "{}\n")
        let manifest = try folder.file("manifest.jsonl")
        for i in 0..<10_000 { try manifest.write("{\"key\":\(i)}\n") }
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing appears before commit")
        try manifest.commit()
        try folder.commit()
        #expect(Self.entries(out) == ["manifest.jsonl", "stats.json"])
        #expect(Self.entries(parent) == ["out"])
        let text = try String(contentsOf: out.appendingPathComponent("manifest.jsonl"), encoding: .utf8)
        #expect(text.split(separator: "\n").count == 10_000)
    }

    @Test("a failed run leaves no output folder and no staging files")
    func failedRun() throws {
        let parent = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("out")
        do {
            let folder = try OutputFolder(out)
            try folder.write("stats.json", "{}\n")
            let half = try folder.file("manifest.jsonl")
            try half.write("{\"key\":1}\n")
            // The run fails here: neither the file nor the folder is committed.
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(Self.entries(parent).isEmpty)
    }

    @Test("an existing non-empty folder is refused unless forced")
    func refusesNonEmpty() throws {
        let out = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        try Data("user notes\n".utf8).write(to: out.appendingPathComponent("notes.txt"))
        try Data("old\n".utf8).write(to: out.appendingPathComponent("manifest.jsonl"))
        try Data("old\n".utf8).write(to: out.appendingPathComponent("changes.jsonl"))
        #expect(throws: OutputError.self) { try OutputFolder(out) }
        do {
            _ = try OutputFolder(out)
        } catch {
            #expect(error.description.contains("--force"))
        }
        let folder = try OutputFolder(out, force: true)
        try folder.write("manifest.jsonl", "new\n")
        try folder.commit()
        // Replaced what it wrote, removed a stale output it did not write, kept the user's own file.
        #expect(Self.entries(out) == ["manifest.jsonl", "notes.txt"])
        #expect(try String(contentsOf: out.appendingPathComponent("manifest.jsonl"), encoding: .utf8) == "new\n")
        #expect(Self.entries(out.deletingLastPathComponent()).allSatisfy { !$0.hasPrefix(".\(out.lastPathComponent).partial-") })
    }

    @Test("an existing empty folder is used without force")
    func emptyFolder() throws {
        let out = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let folder = try OutputFolder(out)
        try folder.write("run.json", "{}\n")
        try folder.commit()
        #expect(Self.entries(out) == ["run.json"])
    }

    @Test("an atomic file replaces the old version only on commit")
    func atomicFile() throws {
        let parent = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let url = parent.appendingPathComponent("a.json")
        try AtomicFile.write(Data("one".utf8), to: url)
        let file = try AtomicFile(url)
        try file.write("two")
        #expect(try String(contentsOf: url, encoding: .utf8) == "one")
        file.discard()
        #expect(Self.entries(parent) == ["a.json"])
        try AtomicFile.write(Data("three".utf8), to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "three")
        #expect(Self.entries(parent) == ["a.json"])
    }
}

@Suite struct StreamedOutputTests {
    @Test("the streamed manifest and logs equal their rendered forms")
    func streamedEqualsRendered() throws {
        let parent = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let input = ManifestWriterTests.input()
        let plan = ManifestWriterTests.plan(rewrite: true, weight: true)
        let folder = try OutputFolder(parent.appendingPathComponent("out"))
        // The text formats; a tar manifest is copied from shards (TarManifestTests).
        let formats = ManifestFormat.allCases.filter { $0 != .tar }
        for format in formats {
            let file = try folder.file(format.fileName)
            try ManifestWriter.write(input: input, plan: plan, format: format, captionField: "caption", to: file)
            try file.commit()
        }
        try folder.writeLines("removed.jsonl", LogWriters.removedLines(input: input, plan: plan))
        try folder.commit()
        let out = parent.appendingPathComponent("out")
        for format in formats {
            let written = try String(contentsOf: out.appendingPathComponent(format.fileName), encoding: .utf8)
            #expect(written == ManifestWriter.render(input: input, plan: plan, format: format, captionField: "caption"))
        }
        let removed = try String(contentsOf: out.appendingPathComponent("removed.jsonl"), encoding: .utf8)
        #expect(removed == LogWriters.text(LogWriters.removedLines(input: input, plan: plan)))
        #expect(OutputFolderTests.entries(out) == ["manifest.csv", "manifest.jsonl", "manifest.tsv", "removed.jsonl"])
    }
}
