import Detect
import Foundation
internal import Yams

/// Reads and validates policy files. Nothing runs until a policy has passed every check here.
public enum PolicyLoader {
    /// Reads and validates the policy at `path`.
    /// - Throws: `PolicyError` naming the file, line and key path, and what to change.
    public static func load(_ path: String) throws(PolicyError) -> Policy {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw PolicyError(
                file: path, keyPath: "", message: "this is a folder; give a policy file, e.g. policies/audit-only.yaml")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PolicyError(
                file: path, keyPath: "", message: "cannot read the policy file (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyError(file: path, keyPath: "", message: "the file is not valid UTF-8 text; save it as UTF-8")
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try parse(text, file: path, defaultName: stem)
    }

    /// Validates policy text. `file` is only used in messages.
    public static func parse(_ text: String, file: String, defaultName: String = "policy") throws(PolicyError) -> Policy
    {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw PolicyError(
                    file: file, line: 1, column: 1, keyPath: "",
                    message: "the policy is empty; it needs at least `version: 1`")
            }
            root = node
        } catch let error as PolicyError {
            throw error
        } catch let error as YamlError {
            throw yamlError(error, file: file)
        } catch {
            throw PolicyError(file: file, keyPath: "", message: "not valid YAML: \(error)")
        }
        let top = PolicyNode(node: root, path: "", file: file)
        var policy = Policy(name: defaultName, file: file)
        var sawVersion = false
        for (key, value) in try top.mapping(allowed: ["version", "name", "seed", "detect", "triggers", "actions"]) {
            switch key {
            case "version":
                guard (try? value.int(in: 1...1, meaning: "")) != nil else {
                    throw value.error("unsupported policy version \(value.shown); this curate reads `version: 1`")
                }
                policy.version = 1
                sawVersion = true
            case "name": policy.name = try value.string()
            case "seed": policy.seed = UInt64(try value.int(in: 0...Int.max, meaning: "the random seed"))
            case "detect": policy.detect = try detect(value)
            case "triggers": policy.triggers = try triggers(value)
            case "actions":
                if !value.isNull {
                    policy.actions = try value.sequence().map { (item) throws(PolicyError) in try action(item) }
                }
            default: break
            }
        }
        guard sawVersion else {
            throw top.error("the key `version` is missing; add `version: 1` at the top")
        }
        var hasher = FNV1a64()
        hasher.combine(top.canonicalText)
        policy.policyHash = hex64(hasher.value)
        return policy
    }

    private static func yamlError(_ error: YamlError, file: String) -> PolicyError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text) " } ?? ""
            return PolicyError(
                file: file, line: mark.line, column: mark.column, keyPath: "",
                message: "not valid YAML: \(detail)\(problem); check indentation, colons and quotes here")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return PolicyError(
                file: file, line: context.mark.line, column: context.mark.column, keyPath: "",
                message: "duplicated key(s) \(duplicates.sorted().joined(separator: ", ")); keep one of each")
        default:
            return PolicyError(file: file, keyPath: "", message: "not valid YAML: \(error)")
        }
    }

    // MARK: detect

    private static func detect(_ node: PolicyNode) throws(PolicyError) -> DetectThresholds {
        var result = DetectThresholds()
        if node.isNull { return result }
        for (key, value) in try node.mapping(allowed: ["exact", "phash", "dhash", "pdq", "embedding"]) {
            switch key {
            case "exact": result.exact = try value.bool()
            case "phash": result.phashMaxDistance = try distance(value, bits: 64)
            case "dhash": result.dhashMaxDistance = try distance(value, bits: 64)
            case "pdq": result.pdqMaxDistance = try distance(value, bits: 256)
            case "embedding":
                if try disabled(value) {
                    result.embeddingMinCosine = nil
                } else {
                    for (inner, v) in try value.mapping(allowed: ["min_cosine"]) where inner == "min_cosine" {
                        result.embeddingMinCosine = try v.number(
                            in: -1...1,
                            meaning: "cosine similarity at or above which two embeddings are near-duplicates")
                    }
                }
            default: break
            }
        }
        return result
    }

    /// `false` or `null` turns a kind of evidence off.
    private static func disabled(_ node: PolicyNode) throws(PolicyError) -> Bool {
        if node.isNull { return true }
        if case .scalar = node.node, node.node.tag.rawValue == Tag.Name.bool.rawValue {
            if try node.bool() {
                throw node.error("write a mapping such as `{max_distance: 10}` to enable, or `false` to disable")
            }
            return true
        }
        return false
    }

    private static func distance(_ node: PolicyNode, bits: Int) throws(PolicyError) -> Int? {
        if try disabled(node) { return nil }
        var result: Int?
        for (key, value) in try node.mapping(allowed: ["max_distance"]) where key == "max_distance" {
            result = try value.int(
                in: 0...bits, meaning: "Hamming distance of the \(bits)-bit hash at or below which images match")
        }
        guard let result else {
            throw node.error(
                "the key `max_distance` is missing; add e.g. `max_distance: 10`, or write `false` to turn this evidence off"
            )
        }
        return result
    }

    // MARK: triggers

    private static func triggers(_ node: PolicyNode) throws(PolicyError) -> TriggerSettings {
        var result = TriggerSettings()
        if node.isNull { return result }
        for (key, value) in try node.mapping(allowed: ["word", "object"]) {
            if key == "word" {
                for (k, v) in try value.mapping(allowed: ["min_support", "min_copies", "min_share", "alpha"]) {
                    switch k {
                    case "min_support":
                        result.word.minSupport = try v.int(in: 1...Int.max, meaning: "samples that must carry the term")
                    case "min_copies":
                        result.word.minCopies = try v.int(
                            in: 1...Int.max, meaning: "samples of the term in its top cluster")
                    case "min_share":
                        result.word.minShare = try v.number(in: 0...1, meaning: "a fraction of the term's samples")
                    case "alpha":
                        result.word.alpha = try v.number(in: 0...1, meaning: "the false discovery rate, e.g. 0.01")
                    default: break
                    }
                }
            } else {
                let allowed = [
                    "min_support", "min_confidence", "min_lift", "max_mention_rate", "alpha", "concept_min_cosine",
                    "min_score", "synonyms",
                ]
                for (k, v) in try value.mapping(allowed: allowed) {
                    switch k {
                    case "min_support":
                        result.object.minSupport = try v.int(
                            in: 1...Int.max, meaning: "samples that must carry the term")
                    case "min_confidence":
                        result.object.minConfidence = try v.number(in: 0...1, meaning: "a fraction: P(object | term)")
                    case "min_lift":
                        result.object.minLift = try v.number(in: 0...1e12, meaning: "how many times the base rate")
                    case "max_mention_rate":
                        result.object.maxMentionRate = try v.number(
                            in: 0...1, meaning: "a fraction of captions naming the object")
                    case "alpha":
                        result.object.alpha = try v.number(in: 0...1, meaning: "the false discovery rate, e.g. 0.01")
                    case "concept_min_cosine":
                        result.object.conceptMinCosine = try v.number(
                            in: -1...1, meaning: "cosine at which a concept counts as present")
                    case "min_score":
                        result.object.minScore = try v.number(
                            in: -1e12...1e12, meaning: "detector score from which a scored object counts as present")
                    case "synonyms": result.synonyms = try synonyms(v)
                    default: break
                    }
                }
            }
        }
        return result
    }

    private static func synonyms(_ node: PolicyNode) throws(PolicyError) -> [String: [String]] {
        guard case .mapping(let mapping) = node.node else {
            throw node.error(
                "expected a mapping from object label to a list of words, e.g. `{flag: [banner, stars and stripes]}`")
        }
        var result: [String: [String]] = [:]
        for (keyNode, valueNode) in mapping {
            let keyHere = PolicyNode(node: keyNode, path: node.path, file: node.file)
            let label = try keyHere.string()
            let value = PolicyNode(node: valueNode, path: "\(node.path).\(label)", file: node.file)
            guard result[label] == nil else { throw keyHere.error("object `\(label)` appears twice; merge its lists") }
            result[label] = try value.strings()
        }
        return result
    }

    // MARK: actions

    static let actionNames = ["dedupe", "rebalance", "rewrite_captions", "remove"]

    private static func action(_ node: PolicyNode) throws(PolicyError) -> PolicyAction {
        let entries = try node.mapping(allowed: actionNames)
        guard entries.count == 1, let (name, body) = entries.first else {
            throw node.error(
                "each action is a mapping with exactly one key, one of: \(actionNames.joined(separator: ", "))")
        }
        switch name {
        case "dedupe": return .dedupe(try dedupe(body))
        case "rebalance": return .rebalance(try rebalance(body))
        case "rewrite_captions": return .rewriteCaptions(try rewrite(body))
        default: return .remove(try remove(body))
        }
    }

    private static func dedupe(_ node: PolicyNode) throws(PolicyError) -> DedupeAction {
        var result = DedupeAction()
        if node.isNull { return result }
        for (key, value) in try node.mapping(allowed: ["scope", "keep", "prefer"]) {
            switch key {
            case "scope": result.scope = try value.choice(DedupeAction.Scope.self)
            case "keep": result.keep = try value.int(in: 1...Int.max, meaning: "samples kept per duplicate group")
            case "prefer":
                let items = try value.sequence()
                guard !items.isEmpty else {
                    throw value.error("the list is empty; give e.g. [largest, quality, longest_caption]")
                }
                var prefer: [DedupeAction.Preference] = []
                for item in items {
                    let choice = try item.choice(DedupeAction.Preference.self)
                    guard !prefer.contains(choice) else {
                        throw item.error("`\(choice.rawValue)` is listed twice; list it once")
                    }
                    prefer.append(choice)
                }
                result.prefer = prefer
            default: break
            }
        }
        return result
    }

    private static func rebalance(_ node: PolicyNode) throws(PolicyError) -> RebalanceAction {
        var result = RebalanceAction()
        for (key, value) in try node.mapping(allowed: ["scope", "max_copies", "max_share", "method"]) {
            switch key {
            case "scope": result.scope = try value.choice(RebalanceAction.Scope.self)
            case "max_copies":
                result.maxCopies = try value.int(in: 1...Int.max, meaning: "copies of a term allowed in one cluster")
            case "max_share":
                let share = try value.number(in: 0...1, meaning: "a fraction of the term's samples")
                guard share > 0 else {
                    throw value.error(
                        "max_share 0 can never be met (a term's top cluster always holds part of it); give a share"
                            + " above 0, such as 0.2, or use max_copies")
                }
                result.maxShare = share
            case "method": result.method = try value.choice(RebalanceAction.Method.self)
            default: break
            }
        }
        guard result.maxCopies != nil || result.maxShare != nil else {
            throw node.error("give a bound: `max_copies`, `max_share`, or both")
        }
        return result
    }

    private static func rewrite(_ node: PolicyNode) throws(PolicyError) -> RewriteCaptionsAction {
        var scope: RewriteCaptionsAction.Scope?
        var strategy: RewriteCaptionsAction.Strategy?
        var terms: [String]?
        var replacements: [String]?
        var fraction = 1.0
        var mode = RewriteCaptionsAction.TokenMode.insert
        var modeNode: PolicyNode?
        var termsNode: PolicyNode?
        var replacementsNode: PolicyNode?
        let entries = try node.mapping(allowed: ["scope", "terms", "strategy", "replacements", "fraction", "mode"])
        for (key, value) in entries {
            switch key {
            case "scope": scope = try value.choice(RewriteCaptionsAction.Scope.self)
            case "strategy": strategy = try value.choice(RewriteCaptionsAction.Strategy.self)
            case "terms": terms = try value.strings(); termsNode = value
            case "replacements": replacements = try value.strings(); replacementsNode = value
            case "fraction": fraction = try value.number(in: 0...1, meaning: "a fraction of the matching samples")
            case "mode": mode = try value.choice(RewriteCaptionsAction.TokenMode.self); modeNode = value
            default: break
            }
        }
        guard let scope else {
            throw node.error(
                "the key `scope` is missing; add one of: \(RewriteCaptionsAction.Scope.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        guard let strategy else {
            throw node.error(
                "the key `strategy` is missing; add one of: \(RewriteCaptionsAction.Strategy.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if scope == .terms && terms == nil { throw node.error("`scope: terms` needs a `terms: [...]` list") }
        if let termsNode, scope != .terms {
            throw termsNode.error("`terms` is only used with `scope: terms`; remove it or change the scope")
        }
        if strategy == .replaceTerm && replacements == nil {
            throw node.error("`strategy: replace_term` needs a `replacements: [...]` list")
        }
        if let replacementsNode, strategy != .replaceTerm {
            throw replacementsNode.error("`replacements` is only used with `strategy: replace_term`; remove it")
        }
        if let modeNode, strategy != .randomToken {
            throw modeNode.error("`mode` is only used with `strategy: random_token`; remove it")
        }
        if strategy == .mentionObject && scope != .objectTriggers {
            throw node.error(
                "`strategy: mention_object` names a trigger's hidden object; it needs `scope: object_triggers`")
        }
        if (strategy == .dropTerm || strategy == .replaceTerm) && scope == .all {
            throw node.error(
                "`strategy: \(strategy.rawValue)` needs terms to act on; use scope word_triggers, object_triggers or terms"
            )
        }
        return RewriteCaptionsAction(
            scope: scope, terms: terms ?? [], strategy: strategy, replacements: replacements ?? [], fraction: fraction,
            mode: mode)
    }

    private static func remove(_ node: PolicyNode) throws(PolicyError) -> RemoveAction {
        var result = RemoveAction()
        for (key, value) in try node.mapping(allowed: [
            "term", "min_cluster_size", "missing_image", "error_kind", "field",
        ]) {
            switch key {
            case "term": result.terms = try value.strings()
            case "min_cluster_size":
                result.minClusterSize = try value.int(
                    in: 2...Int.max, meaning: "cluster size; clusters have at least 2 members")
            case "missing_image":
                guard try value.bool() else {
                    throw value.error("only `missing_image: true` selects anything; remove the key instead")
                }
                result.missingImage = true
            case "error_kind":
                let items: [PolicyNode]
                if case .scalar = value.node { items = [value] } else { items = try value.sequence() }
                var kinds: [ProblemKind] = []
                for item in items { kinds.append(try item.choice(ProblemKind.self)) }
                guard !kinds.isEmpty else { throw value.error("the list is empty; give at least one error kind") }
                result.errorKinds = kinds
            case "field":
                var name: String?
                var match: String?
                for (k, v) in try value.mapping(allowed: ["name", "value"]) {
                    if k == "name" { name = try v.string() } else { match = try v.string() }
                }
                guard let name, let match else { throw value.error("a field selector needs both `name` and `value`") }
                result.field = .init(name: name, value: match)
            default: break
            }
        }
        guard
            result.terms != nil || result.minClusterSize != nil || result.missingImage != nil
                || result.errorKinds != nil
                || result.field != nil
        else {
            throw node.error("give at least one selector: term, min_cluster_size, missing_image, error_kind or field")
        }
        return result
    }
}
