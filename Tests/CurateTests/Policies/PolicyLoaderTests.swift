import Curate
import CurateTestSupport
import Detect
import Foundation
import Testing

/// The repository's `policies/` folder.
let shippedPolicies: URL = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("policies")

@Suite struct PolicyLoaderTests {
    @Test(
        "every shipped policy loads and validates",
        arguments: [
            "audit-only", "dedupe", "mitigate-word-triggers", "mitigate-object-triggers", "caption-noise",
        ])
    func shippedPoliciesLoad(name: String) throws {
        let path = shippedPolicies.appendingPathComponent("\(name).yaml").path
        let policy = try PolicyLoader.load(path)
        #expect(policy.name == name)
        #expect(policy.version == 1)
        #expect(policy.policyHash.count == 16)
        switch name {
        case "audit-only": #expect(policy.actions.isEmpty)
        case "caption-noise":
            #expect(policy.actions.count == 4)
            for action in policy.actions {
                guard case .rewriteCaptions(let rewrite) = action else {
                    Issue.record("caption-noise holds only caption rewrites")
                    continue
                }
                #expect(rewrite.fraction == 0.1)
            }
        case "mitigate-object-triggers":
            #expect(policy.triggers.synonyms["flag"] == ["banner", "stars and stripes"])
        default: #expect(!policy.actions.isEmpty)
        }
    }

    @Test("a full policy maps every value to the typed model")
    func fullPolicy() throws {
        let policy = try PolicyLoader.load(Fixtures.url("policies/good-full.yaml").path)
        #expect(policy.name == "full")
        #expect(policy.seed == 42)
        #expect(policy.detect.exact == false)
        #expect(policy.detect.phashMaxDistance == 8)
        #expect(policy.detect.dhashMaxDistance == 6)
        #expect(policy.detect.pdqMaxDistance == nil)
        #expect(policy.detect.embeddingMinCosine == 0.95)
        #expect(policy.triggers.word.minSupport == 5)
        #expect(policy.triggers.word.minCopies == 4)
        #expect(policy.triggers.word.minShare == 0.25)
        #expect(policy.triggers.word.alpha == 0.05)
        #expect(policy.triggers.object.minSupport == 7)
        #expect(policy.triggers.object.minLift == 2.5)
        #expect(policy.triggers.object.maxMentionRate == 0.1)
        #expect(policy.triggers.object.minScore == 0.3)
        #expect(policy.triggers.names(of: "flag") == ["flag", "banner", "stars and stripes"])
        #expect(policy.actions.count == 4)
        #expect(
            policy.actions[0]
                == .dedupe(DedupeAction(scope: .exact, keep: 2, prefer: [.largest, .quality, .longestCaption, .first])))
        #expect(policy.actions[1] == .rebalance(RebalanceAction(maxCopies: 3, maxShare: 0.5, method: .reweight)))
        #expect(
            policy.actions[2]
                == .rewriteCaptions(
                    RewriteCaptionsAction(
                        scope: .terms, terms: ["van gogh"], strategy: .replaceTerm, replacements: ["a painter"],
                        fraction: 0.5)))
        #expect(
            policy.actions[3]
                == .remove(
                    RemoveAction(
                        terms: ["watermark"], errorKinds: [.corruptImage, .truncatedImage],
                        field: .init(name: "nsfw", value: "UNSAFE"))))
        #expect(policy.ruleName(of: 1) == "actions[1].rebalance")
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var file: String
        var line: Int
        var keyPath: String
        var fragments: [String]
        var testDescription: String { file }
    }

    @Test(
        "a bad policy is an error naming file, line, key path and the fix",
        arguments: [
            BadCase(
                file: "bad-unknown-key.yaml", line: 8, keyPath: "actions[1].rebalance.max_shares",
                fragments: ["unknown key `max_shares`", "did you mean `max_share`?"]),
            BadCase(
                file: "bad-wrong-type.yaml", line: 5, keyPath: "actions[0].dedupe.keep",
                fragments: ["expected a whole number", "`two`"]),
            BadCase(
                file: "bad-out-of-range.yaml", line: 7, keyPath: "actions[1].rebalance.max_share",
                fragments: ["`1.5` is out of range", "between 0 and 1"]),
            BadCase(
                file: "bad-enum-value.yaml", line: 3, keyPath: "actions[0].rebalance.method",
                fragments: ["unknown value `downsampel`", "did you mean `downsample`?", "decouple"]),
            BadCase(
                file: "bad-top-level-key.yaml", line: 3, keyPath: "tirggers",
                fragments: ["did you mean `triggers`?"]),
            BadCase(
                file: "bad-negative-distance.yaml", line: 3, keyPath: "detect.phash.max_distance",
                fragments: ["-1 is out of range", "from 0 to 64"]),
            BadCase(
                file: "bad-keep-zero.yaml", line: 3, keyPath: "actions[0].dedupe.keep",
                fragments: ["0 is out of range", "≥ 1"]),
            BadCase(
                file: "bad-mention-scope.yaml", line: 3, keyPath: "actions[0].rewrite_captions",
                fragments: ["needs `scope: object_triggers`"]),
            BadCase(
                file: "bad-missing-version.yaml", line: 1, keyPath: "",
                fragments: ["add `version: 1`"]),
            BadCase(file: "bad-syntax.yaml", line: 4, keyPath: "", fragments: ["not valid YAML"]),
            BadCase(
                file: "bad-share-zero.yaml", line: 3, keyPath: "actions[0].rebalance.max_share",
                fragments: ["max_share 0 can never be met", "use max_copies"]),
            BadCase(
                file: "bad-huge-seed.yaml", line: 2, keyPath: "seed",
                fragments: ["`12345678901234567890123` is too large", "the largest is 9223372036854775807"]),
        ])
    func badPolicy(_ bad: BadCase) throws {
        let path = Fixtures.url("policies/\(bad.file)").path
        do {
            let policy = try PolicyLoader.load(path)
            Issue.record("expected an error, loaded \(policy.name)")
        } catch {
            #expect(error.file == path)
            #expect(error.line == bad.line)
            #expect(error.keyPath == bad.keyPath)
            let message = error.description
            #expect(message.hasPrefix("\(path):\(bad.line):"))
            if !bad.keyPath.isEmpty { #expect(message.contains(bad.keyPath)) }
            for fragment in bad.fragments { #expect(message.contains(fragment), "\(message)") }
        }
    }

    @Test("a missing file or a folder is a policy error that says so, not a crash")
    func missingFile() {
        #expect(throws: PolicyError.self) { try PolicyLoader.load("/nonexistent/policy.yaml") }
        let folder = Fixtures.url("policies").path
        #expect { try PolicyLoader.load(folder) } throws: { error in
            "\(error)".contains("this is a folder; give a policy file")
        }
    }

    @Test("the policy hash ignores comments and layout but not values")
    func policyHash() throws {
        let a = try PolicyLoader.parse("version: 1\nseed: 3\nactions:\n  - dedupe: {keep: 1}\n", file: "a.yaml")
        let b = try PolicyLoader.parse(
            "# comment\nseed:   3\nversion: 1\nactions:\n- dedupe:\n    keep: 1\n", file: "b.yaml")
        let c = try PolicyLoader.parse("version: 1\nseed: 4\nactions:\n  - dedupe: {keep: 1}\n", file: "c.yaml")
        #expect(a.policyHash == b.policyHash)
        #expect(a.policyHash != c.policyHash)
    }

    @Test("a duplicated key is an error at its line")
    func duplicatedKey() {
        do {
            _ = try PolicyLoader.parse("version: 1\nseed: 1\nseed: 2\n", file: "dup.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3 || error.line == 2)
            #expect(error.description.contains("seed"))
        }
    }
}
