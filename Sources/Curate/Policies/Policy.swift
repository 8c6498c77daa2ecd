import Detect

/// A validated curation policy: detection and trigger thresholds, a seed, and an ordered list of actions.
///
/// Load one with `PolicyLoader.load(_:)`; every value in here has passed validation.
public struct Policy: Sendable, Hashable {
    /// Schema version of the policy file; only `1` exists.
    public var version: Int
    /// Human name of the policy (defaults to the file's stem).
    public var name: String
    /// Seed for every random choice the actions make (mixed with each sample's key).
    public var seed: UInt64
    /// When two images count as near-duplicates.
    public var detect: DetectThresholds
    /// When a term is a word or object trigger, and which words name an object.
    public var triggers: TriggerSettings
    /// Actions, applied in this order to the samples that survive the previous ones.
    public var actions: [PolicyAction]
    /// The file the policy was read from, as given.
    public var file: String
    /// Stable hash of the policy's canonical content (16 hex digits): comments and layout do not change it.
    public var policyHash: String

    public init(
        version: Int = 1, name: String, seed: UInt64 = 0, detect: DetectThresholds = DetectThresholds(),
        triggers: TriggerSettings = TriggerSettings(), actions: [PolicyAction] = [], file: String = "",
        policyHash: String = ""
    ) {
        self.version = version
        self.name = name
        self.seed = seed
        self.detect = detect
        self.triggers = triggers
        self.actions = actions
        self.file = file
        self.policyHash = policyHash
    }

    /// The rule name of action `index` as it appears in plans and logs, e.g. `actions[1].rebalance`.
    public func ruleName(of index: Int) -> String {
        "actions[\(index)].\(actions[index].kind)"
    }
}

/// The policy's `triggers` section.
public struct TriggerSettings: Sendable, Hashable {
    public var word: WordTriggerThresholds
    public var object: ObjectTriggerThresholds
    /// Extra words that name an object in a caption (`triggers.object.synonyms`), by object label.
    public var synonyms: [String: [String]]

    public init(
        word: WordTriggerThresholds = WordTriggerThresholds(),
        object: ObjectTriggerThresholds = ObjectTriggerThresholds(),
        synonyms: [String: [String]] = [:]
    ) {
        self.word = word
        self.object = object
        self.synonyms = synonyms
    }

    /// The label and its synonyms: every phrase that counts as naming `object` in a caption.
    public func names(of object: String) -> [String] {
        [object] + (synonyms[object] ?? [])
    }
}

/// One step of a policy's `actions` list.
public enum PolicyAction: Sendable, Hashable {
    case dedupe(DedupeAction)
    case rebalance(RebalanceAction)
    case rewriteCaptions(RewriteCaptionsAction)
    case remove(RemoveAction)

    /// The action's key in the policy file.
    public var kind: String {
        switch self {
        case .dedupe: "dedupe"
        case .rebalance: "rebalance"
        case .rewriteCaptions: "rewrite_captions"
        case .remove: "remove"
        }
    }
}

/// `dedupe`: keep `keep` samples per duplicate group, chosen by `prefer`; remove the rest.
public struct DedupeAction: Sendable, Hashable {
    /// Which groups count as duplicates.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// Byte-identical images only (equal content hash).
        case exact
        /// Every near-duplicate cluster.
        case near
    }

    /// Orderings that choose which members of a group are kept.
    public enum Preference: String, Sendable, Hashable, CaseIterable {
        /// Most picture pixels first (uniform padding and letterbox borders do not count).
        case largest
        /// Highest PDQ quality first.
        case quality
        /// Longest caption first.
        case longestCaption = "longest_caption"
        /// Earliest in input order first.
        case first
    }

    public var scope: Scope
    public var keep: Int
    public var prefer: [Preference]

    public init(scope: Scope = .near, keep: Int = 1, prefer: [Preference] = [.first]) {
        self.scope = scope
        self.keep = keep
        self.prefer = prefer
    }
}

/// `rebalance`: for each word trigger, cut copies until `n_top ≤ max_copies` or `top_share ≤ max_share`.
public struct RebalanceAction: Sendable, Hashable {
    /// How surplus copies are cut.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        /// Remove the surplus samples.
        case downsample
        /// Rewrite the term out of the surplus samples' captions.
        case decouple
        /// Give samples a `weight` so the weighted counts meet the bound; nothing is removed.
        case reweight
    }

    public enum Scope: String, Sendable, Hashable, CaseIterable {
        case wordTriggers = "word_triggers"
    }

    public var scope: Scope
    public var maxCopies: Int?
    public var maxShare: Double?
    public var method: Method

    public init(
        scope: Scope = .wordTriggers, maxCopies: Int? = nil, maxShare: Double? = nil, method: Method = .downsample
    ) {
        self.scope = scope
        self.maxCopies = maxCopies
        self.maxShare = maxShare
        self.method = method
    }
}

/// `rewrite_captions`: rewrite the captions of a `fraction` of the matching samples with one strategy.
public struct RewriteCaptionsAction: Sendable, Hashable {
    /// Which samples match.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// Samples carrying a word trigger's term.
        case wordTriggers = "word_triggers"
        /// Samples carrying an object trigger's term whose image shows the object.
        case objectTriggers = "object_triggers"
        /// Samples carrying one of the listed `terms`.
        case terms
        /// Every sample.
        case all
    }

    public enum Strategy: String, Sendable, Hashable, CaseIterable {
        /// Remove the term from the caption.
        case dropTerm = "drop_term"
        /// Replace the term with a random choice of `replacements`.
        case replaceTerm = "replace_term"
        /// Name the hidden object, until the mention rate reaches `fraction` (object triggers only).
        case mentionObject = "mention_object"
        /// Insert (or, with `mode: replace`, substitute) a random word from a built-in vocabulary.
        case randomToken = "random_token"
        /// Repeat a random word of the caption.
        case repeatWord = "repeat_word"
        /// Insert a random number.
        case randomNumber = "random_number"
    }

    /// For `random_token`: insert a new word, or replace an existing one.
    public enum TokenMode: String, Sendable, Hashable, CaseIterable {
        case insert, replace
    }

    public var scope: Scope
    public var terms: [String]
    public var strategy: Strategy
    public var replacements: [String]
    public var fraction: Double
    public var mode: TokenMode

    public init(
        scope: Scope, terms: [String] = [], strategy: Strategy, replacements: [String] = [], fraction: Double = 1,
        mode: TokenMode = .insert
    ) {
        self.scope = scope
        self.terms = terms
        self.strategy = strategy
        self.replacements = replacements
        self.fraction = fraction
        self.mode = mode
    }
}

/// `remove`: drop every sample that matches all of the given selectors.
public struct RemoveAction: Sendable, Hashable {
    /// A field selector: the record's field `name` equals `value` (JSON strings compared by their text).
    public struct FieldMatch: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The caption carries one of these terms.
    public var terms: [String]?
    /// The sample sits in a near-duplicate cluster of at least this many samples.
    public var minClusterSize: Int?
    /// The sample's image is missing or unreadable (any problem kind).
    public var missingImage: Bool?
    /// The sample's image problem is one of these kinds.
    public var errorKinds: [ProblemKind]?
    public var field: FieldMatch?

    public init(
        terms: [String]? = nil, minClusterSize: Int? = nil, missingImage: Bool? = nil, errorKinds: [ProblemKind]? = nil,
        field: FieldMatch? = nil
    ) {
        self.terms = terms
        self.minClusterSize = minClusterSize
        self.missingImage = missingImage
        self.errorKinds = errorKinds
        self.field = field
    }
}
