import ArgumentParser
import Curate
import Foundation

@main
struct CurateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curate",
        abstract: "Find memory triggers in image–caption training sets and mitigate them.",
        discussion: """
            Start with a dry run, read audit/report.html, then apply the policy:
              curate audit data.jsonl --policy policies/dedupe.yaml --out audit/
              curate apply data.jsonl --policy policies/dedupe.yaml --out clean/

            Exit codes: 0 ok, 1 failure, 2 usage or policy error, 3 audit gate tripped.
            """,
        version: CurateInfo.version,
        subcommands: [
            ScanCommand.self, AuditCommand.self, ApplyCommand.self, StatsCommand.self, PolicyCommand.self, IndexCommand.self,
            ReportCommand.self,
        ]
    )

    /// Parses, runs, and maps every error to the contract's exit codes (ArgumentParser's own usage code is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
            Foundation.exit(failure.code)
        } catch let error as PolicyError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code.rawValue == 0 {
                self.exit(withError: error)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue == 64 ? 2 : 1)
        }
    }
}

/// An error that ends a command with a message and a specific exit code.
struct CommandFailure: Error {
    var message: String
    var code: Int32

    static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, code: 2) }
    static func failure(_ message: String) -> CommandFailure { CommandFailure(message: message, code: 1) }

    /// Exit 1 when the inputs gave no sample at all but did give problems (a manifest of malformed lines, a file
    /// that is not a manifest): the run wrote its outputs, but a gate such as `--fail-on triggers` must not pass
    /// on data it never read. An input that is simply empty (no samples, no problems) is not a failure.
    static func checkSomethingRead(samples: Int, problems: Int, listing: String? = nil) throws {
        guard samples == 0, problems > 0 else { return }
        let see = listing.map { "; \($0) lists them" } ?? ""
        throw failure("no sample could be read from the inputs (\(problems) problems\(see))")
    }
}
