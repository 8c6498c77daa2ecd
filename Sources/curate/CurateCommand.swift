import ArgumentParser
import Curate

@main
struct CurateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curate",
        abstract: "Find memory triggers in image–caption training sets and mitigate them.",
        version: CurateInfo.version,
        subcommands: [ScanCommand.self]
    )
}
