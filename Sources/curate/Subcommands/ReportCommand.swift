import ArgumentParser
import Curate
import Detect
import Foundation

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rebuild report.html from an audit or apply output folder.",
        discussion: """
            Thumbnails and captions are read again from the inputs named in run.json (local files only).
            Example:
              curate report audit/
            """
    )

    @Argument(help: "An output folder written by audit or apply.")
    var folder: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let url = URL(fileURLWithPath: folder)
        // A folder audit or apply did not write is a mistyped argument (exit 2), not a failed run.
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("run.json").path) else {
            throw CommandFailure.usage(
                "\(folder) holds no run.json: give the --out folder of an audit or apply run.")
        }
        let run = try ReportInputs(folder: url)
        let terminal = Terminal(quiet: output.quiet)
        for warning in run.warnings { terminal.warn(warning) }
        let written = try ReportBuilder.writeReport(
            folder: url, captions: run.captions, thumbnail: ReportBuilder.thumbnailProvider { run.imageData(key: $0) })
        if output.json { print(try JSONText.object(["report": written.path])) }
        terminal.info("report: \(written.path)")
    }
}
