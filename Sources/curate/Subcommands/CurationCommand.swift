import ArgumentParser
import Curate
import Detect
import Foundation

/// What `audit` and `apply` share: load the policy, run, print a summary.
enum CurationCommand {
    static func run(
        mode: CurationMode, input: InputOptions, options: RunOptions, output: OutputOptions
    ) throws -> CurationOutcome {
        let terminal = Terminal(quiet: output.quiet)
        let policy = try options.loadPolicy()
        let run = CurationRun(
            request: input.request, policy: policy, mode: mode, output: URL(fileURLWithPath: options.out),
            force: options.force)
        let outcome: CurationOutcome
        do {
            outcome = try run.run(terminal: terminal)
        } catch let error as OutputError {
            throw CommandFailure.usage("\(error)")
        }
        if output.json {
            print(try JSONText.object(outcome.json(mode: mode)))
        }
        terminal.info(outcome.summary(mode: mode, policy: policy.name))
        try CommandFailure.checkSomethingRead(
            samples: outcome.samples, problems: outcome.problems,
            listing: outcome.outputFolder.appendingPathComponent("problems.jsonl").path)
        return outcome
    }
}

extension CurationOutcome {
    func json(mode: CurationMode) -> [String: Any] {
        [
            "mode": mode.rawValue, "samples": samples, "kept": kept, "removed": removed, "rewritten": rewritten,
            "clusters": clusters, "errors": problems, "out": outputFolder.path,
            "triggers": [
                "before": ["word": wordTriggersBefore, "object": objectTriggersBefore],
                "after": ["word": wordTriggersAfter, "object": objectTriggersAfter],
            ],
        ]
    }

    func summary(mode: CurationMode, policy: String) -> String {
        let action = mode == .audit
            ? "would remove \(removed) samples and rewrite \(rewritten) captions, keeping \(kept)"
            : "removed \(removed) samples and rewrote \(rewritten) captions; \(kept) samples kept"
        return """
            \(samples) samples, \(clusters) near-duplicate clusters, \(problems) input problems
            triggers found: \(wordTriggersBefore) word, \(objectTriggersBefore) object; after the policy: \(wordTriggersAfter) word, \(objectTriggersAfter) object
            policy '\(policy)' \(action)
            report: \(outputFolder.appendingPathComponent("report.html").path)
            """
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Dry run: report what the policy would do, before and projected after. Writes no manifest.",
        discussion: """
            Example:
              curate audit data.jsonl --policy policies/audit-only.yaml \\
                  --out audit/ --fail-on triggers
            With --fail-on, the exit code is 3 when the dataset has triggers
            (or duplicates): a CI gate.
            """
    )

    enum Gate: String, ExpressibleByArgument, CaseIterable {
        case triggers, duplicates
    }

    @OptionGroup var input: InputOptions
    @OptionGroup var options: RunOptions
    @Option(name: .customLong("fail-on"), help: "Exit 3 when the dataset has: \(Gate.allCases.map(\.rawValue).joined(separator: ", ")).")
    var failOn: Gate?
    @OptionGroup var output: OutputOptions

    func validate() throws { try input.refuseShard(command: "audit") }

    func run() async throws {
        let outcome = try CurationCommand.run(mode: .audit, input: input, options: options, output: output)
        switch failOn {
        case .triggers where outcome.wordTriggersBefore + outcome.objectTriggersBefore > 0:
            FileHandle.standardError.write(Data(
                "gate: \(outcome.wordTriggersBefore) word and \(outcome.objectTriggersBefore) object triggers found\n".utf8))
            throw ExitCode(3)
        case .duplicates where outcome.clusters > 0:
            FileHandle.standardError.write(Data("gate: \(outcome.clusters) near-duplicate clusters found\n".utf8))
            throw ExitCode(3)
        default: break
        }
    }
}

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a policy: everything audit writes, plus the cleaned manifest.",
        discussion: """
            Example:
              curate apply data.jsonl --embeddings img_emb/ \\
                  --policy policies/mitigate-word-triggers.yaml --out clean/
            Kept + removed = input, always: removed.jsonl lists every dropped
            sample with its reason and rule.
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var options: RunOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try input.refuseShard(command: "apply")
        // The cleaned manifest takes the inputs' format: shards give a shard, manifests and folders a manifest.
        let kinds = Set(input.inputs.flatMap { (try? DatasetInput.resolve($0)) ?? [] }.map { $0.kind == .webdataset })
        if kinds.count > 1 {
            throw ValidationError(
                "apply writes one cleaned list in the inputs' format, and webdataset shards mixed with manifests or"
                    + " folders have none: apply the shards and the others in two runs (audit reads them together).")
        }
    }

    func run() async throws {
        _ = try CurationCommand.run(mode: .apply, input: input, options: options, output: output)
    }
}
