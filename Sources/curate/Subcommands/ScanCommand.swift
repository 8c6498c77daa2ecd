import ArgumentParser
import Curate
import Detect
import Foundation

struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Fill or refresh the feature index of a dataset.",
        discussion: """
            Decodes every image once, on all cores, and caches its hashes in the index by content hash, so a \
            second scan (and every later audit) decodes nothing. A stopped scan resumes where it stopped.

            Example:
              curate scan data/train.jsonl --embeddings data/img_emb/ --json
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let terminal = Terminal(quiet: output.quiet)
        var request = input.request
        // Counts only: no record and no image's features need to stay.
        request.scan.keptRecordFields = []
        request.scan.keepsFeatures = false
        let scan = try DatasetScan.run(request, terminal: terminal)
        terminal.reportProblems(scan.problems)
        if output.json {
            let summary: [String: Any] = [
                "samples": scan.count,
                "images_decoded": scan.imagesDecoded,
                "images_cached": scan.imagesCached,
                "errors": scan.problems.count,
                "error_kinds": scan.problemCounts,
                "seconds": (scan.seconds * 1000).rounded() / 1000,
            ]
            print(try JSONText.object(summary))
        }
        terminal.info(
            "\(scan.count) samples, \(scan.imagesDecoded) images decoded, \(scan.imagesCached) from the index, "
                + "\(scan.problems.count) problems, \(String(format: "%.2f", scan.seconds)) s")
        try CommandFailure.checkSomethingRead(samples: scan.count, problems: scan.problems.count)
    }
}
