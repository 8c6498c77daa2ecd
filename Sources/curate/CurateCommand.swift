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
            fail(failure.message, code: failure.code, reportedAsJSON: failure.reportedAsJSON)
        } catch let error as PolicyError {
            fail("\(error)", code: 2)
        } catch {
            let code = exitCode(for: error)
            if code.rawValue == 0 {
                self.exit(withError: error)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            let status: Int32 = code == .validationFailure ? 2 : code.rawValue == 64 ? 2 : 1
            if !message(for: error).isEmpty { printJSONError(message(for: error), code: status) }
            Foundation.exit(status)
        }
    }

    /// Ends the run: the message on stderr and, under `--json`, as an error object on stdout.
    private static func fail(_ message: String, code: Int32, reportedAsJSON: Bool = false) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        if !reportedAsJSON { printJSONError(message, code: code) }
        Foundation.exit(code)
    }

    /// `{"error": MESSAGE, "exit_code": CODE}` on stdout when the command line asked for `--json`, so a script
    /// reading stdout learns why there is no result (a usage error, an unreadable input) without parsing stderr.
    private static func printJSONError(_ message: String, code: Int32) {
        let options = CommandLine.arguments.dropFirst().prefix { $0 != "--" }
        guard options.contains("--json"), let text = try? JSONText.object(["error": message, "exit_code": Int(code)])
        else { return }
        print(text)
    }
}

/// An error that ends a command with a message and a specific exit code.
struct CommandFailure: Error {
    var message: String
    var code: Int32
    /// The command already printed its own JSON answer for this failure (`policy check --json`).
    var reportedAsJSON = false

    static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, code: 2) }
    static func failure(_ message: String) -> CommandFailure { CommandFailure(message: message, code: 1) }

    /// Exit 1 when the inputs gave no sample at all but did give problems (a manifest of malformed lines, a file
    /// that is not a manifest): the run wrote its outputs, but a gate such as `--fail-on triggers` must not pass
    /// on data it never read. An input that is simply empty (no samples, no problems) is not a failure.
    /// Called after the command printed its result: under `--json` that result (with its error count) is the one
    /// JSON answer on stdout.
    static func checkSomethingRead(samples: Int, problems: Int, listing: String? = nil) throws {
        guard samples == 0, problems > 0 else { return }
        let see = listing.map { "; \($0) lists them" } ?? ""
        var failure = failure("no sample could be read from the inputs (\(problems) problems\(see))")
        failure.reportedAsJSON = true
        throw failure
    }
}
