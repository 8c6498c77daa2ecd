import ArgumentParser
import Curate
import Foundation

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Work with policy files.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a policy file; exit 2 with file, line and key when something is wrong.",
            discussion: "Example:\n  curate policy check policies/mitigate-word-triggers.yaml"
        )

        @Argument(help: "The policy file.")
        var path: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let policy: Policy
            do {
                policy = try PolicyLoader.load(path)
            } catch {
                var failure = CommandFailure.usage("\(error)")
                if output.json {
                    print(try JSONText.object(["valid": false, "error": "\(error)", "exit_code": 2]))
                    failure.reportedAsJSON = true
                }
                throw failure
            }
            if output.json {
                print(try JSONText.object([
                    "valid": true, "name": policy.name, "hash": policy.policyHash, "actions": policy.actions.map(\.kind),
                ]))
            }
            Terminal(quiet: output.quiet).info(
                "\(path): ok — policy '\(policy.name)', \(policy.actions.count) actions (\(policy.actions.map(\.kind).joined(separator: ", ")))")
        }
    }
}
