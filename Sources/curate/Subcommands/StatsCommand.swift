import ArgumentParser
import Curate
import Detect
import Foundation

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Trigger statistics of any dataset: the top word and object triggers.",
        discussion: """
            Example (compare a list before and after cleaning):
              curate stats data.jsonl --objects tags.jsonl
              curate stats cleaned/manifest.jsonl --objects tags.jsonl --json
            """
    )

    @OptionGroup var input: InputOptions
    @Option(help: "Policy whose detect and trigger thresholds to use (default: the built-in defaults).")
    var policy: String?
    @Option(help: "How many terms to list.")
    var top = 20
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try input.refuseShard(command: "stats")
        if top < 0 { throw ValidationError("--top takes a count of terms ≥ 0 (0 prints the summary only); got \(top).") }
    }

    func run() async throws {
        let terminal = Terminal(quiet: output.quiet)
        let thresholds: Policy
        do {
            thresholds = try policy.map { try PolicyLoader.load($0) } ?? PolicyLoader.parse("version: 1\n", file: "defaults")
        } catch {
            throw CommandFailure.usage("\(error)")
        }
        let analysis = try DatasetAnalysis.run(input.request, policy: thresholds, terminal: terminal)
        terminal.reportProblems(analysis.problems)
        let table = StatisticsTable(analysis: analysis, top: top)
        if output.json {
            print(table.json)
        } else {
            print(table.text)
        }
        try CommandFailure.checkSomethingRead(samples: analysis.scan.count, problems: analysis.problems.count)
    }
}
