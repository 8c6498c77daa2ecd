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
}
