import Curate
import CurateTestSupport
import Foundation
import Testing

/// Replacing an existing `--out` folder with `--force`.
@Suite struct OutputFolderReplaceTests {
    @Test("--force keeps files written straight into the staging folder (the report), not only those made with file(_:)")
    func forceKeepsDirectlyWrittenFiles() throws {
        let parent = try Fixtures.temporaryFolder()
        let destination = parent.appendingPathComponent("out")
        for round in 1...2 {
            let folder = try OutputFolder(destination, force: true)
            try folder.write("stats.json", "{\"round\": \(round)}\n")
            // ReportBuilder.writeReport writes report.html into the staging folder itself.
            try Data("<html>round \(round)</html>".utf8).write(to: folder.staging.appendingPathComponent("report.html"))
            try folder.commit()
        }
        let report = try String(contentsOf: destination.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report == "<html>round 2</html>")
        let stats = try String(contentsOf: destination.appendingPathComponent("stats.json"), encoding: .utf8)
        #expect(stats.contains("2"))
        let hidden = try FileManager.default.contentsOfDirectory(atPath: parent.path).filter { $0.hasPrefix(".") }
        #expect(hidden.isEmpty, "\(hidden)")
    }

    @Test("a staging folder left by a killed run (its process gone) is removed by the next run for the same --out")
    func abandonedStagingIsRemoved() throws {
        let parent = try Fixtures.temporaryFolder()
        let destination = parent.appendingPathComponent("out")
        // A pid that is not running: a child that has exited and been reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let stale = parent.appendingPathComponent(".out.partial-\(child.processIdentifier)")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        try Data("half".utf8).write(to: stale.appendingPathComponent("manifest.jsonl"))
        // A staging folder of a live process (this one's parent) is left alone.
        let live = parent.appendingPathComponent(".out.partial-\(getppid())")
        try FileManager.default.createDirectory(at: live, withIntermediateDirectories: true)

        let folder = try OutputFolder(destination)
        try folder.write("stats.json", "{}\n")
        try folder.commit()
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: live.path))
    }
}
