import ArgumentParser
import Curate
import Foundation

/// The policy and output folder of `audit` and `apply`.
struct RunOptions: ParsableArguments {
    @Option(help: "The policy file (see policies/). Validated before anything is read.")
    var policy: String

    @Option(help: "Output folder; must not exist or be empty unless --force.")
    var out: String

    @Flag(help: "Write into a non-empty --out, replacing curate's own files there.")
    var force = false

    /// Loads and validates the policy; a bad policy ends the command with exit 2.
    func loadPolicy() throws -> Policy {
        do {
            return try PolicyLoader.load(policy)
        } catch {
            throw CommandFailure.usage("\(error)")
        }
    }
}
