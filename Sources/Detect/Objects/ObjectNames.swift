/// The words a caption may use to name an object: its label, a built-in English synonym list, caller-supplied
/// synonyms, and English plurals of each. All names are normalized phrases (``CaptionTerms/normalizedPhrase(_:)``),
/// so they compare equal to caption terms.
public struct ObjectNames: Sendable, Hashable {
    /// Extra synonyms by label (lowercase), added to the built-in ones.
    public var extraSynonyms: [String: [String]]
    public var termizer: CaptionTerms

    public init(extraSynonyms: [String: [String]] = [:], termizer: CaptionTerms = CaptionTerms()) {
        var lowered: [String: [String]] = [:]
        for (label, names) in extraSynonyms { lowered[label.lowercased(), default: []] += names }
        self.extraSynonyms = lowered
        self.termizer = termizer
    }

    /// Every normalized name of `label`, sorted; empty when the label normalizes to nothing (all stopwords).
    public func names(of label: String) -> [String] {
        let key = label.lowercased()
        var raw = [key]
        raw += ObjectNames.builtInSynonyms[key] ?? []
        raw += extraSynonyms[key] ?? []
        // A label that normalizes differently ("Teddy-Bear") still finds the built-in entry.
        let normalizedKey = termizer.normalizedPhrase(key)
        if normalizedKey != key { raw += ObjectNames.builtInSynonyms[normalizedKey] ?? [] }
        var names = Set<String>()
        for name in raw {
            let phrase = termizer.normalizedPhrase(name)
            if phrase.isEmpty { continue }
            names.insert(phrase)
            for plural in ObjectNames.plurals(of: phrase) { names.insert(plural) }
        }
        return names.sorted()
    }

    /// All names of all `labels`: the terms a ``TermIndex`` must keep for mention checks.
    public func allNames(of labels: some Sequence<String>) -> Set<String> {
        var all = Set<String>()
        for label in labels { all.formUnion(names(of: label)) }
        return all
    }

    /// Regular English plurals of a phrase's last word (a heuristic; irregular plurals are in the synonym list).
    static func plurals(of phrase: String) -> [String] {
        var words = phrase.split(separator: " ").map(String.init)
        guard let last = words.last, last.count >= 2, last.allSatisfy({ $0.isLetter }) else { return [] }
        var forms: [String] = []
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        if last.hasSuffix("s") || last.hasSuffix("x") || last.hasSuffix("z") || last.hasSuffix("ch")
            || last.hasSuffix("sh")
        {
            forms.append(last + "es")
        } else if last.hasSuffix("y"), let before = last.dropLast().last, !vowels.contains(before) {
            forms.append(String(last.dropLast()) + "ies")
        } else if last.hasSuffix("f") {
            forms.append(last + "s")
            forms.append(String(last.dropLast()) + "ves")
        } else if last.hasSuffix("fe") {
            forms.append(last + "s")
            forms.append(String(last.dropLast(2)) + "ves")
        } else {
            forms.append(last + "s")
            if last.hasSuffix("o") { forms.append(last + "es") }
        }
        return forms.map { form in
            words[words.count - 1] = form
            return words.joined(separator: " ")
        }
    }

    /// A small built-in synonym list for common detector labels (COCO/Open Images style) and the objects the
    /// memorization literature names (flags, logos, watermarks).
    public static let builtInSynonyms: [String: [String]] = [
        "flag": ["banner", "pennant", "ensign", "stars and stripes", "old glory"],
        "dog": ["puppy", "puppies", "pup", "hound", "doggy", "canine"],
        "cat": ["kitten", "kitty", "feline"],
        "person": ["people", "man", "men", "woman", "women", "child", "children", "boy", "girl", "human", "guy"],
        "man": ["men", "guy", "gentleman"],
        "woman": ["women", "lady", "ladies"],
        "child": ["children", "kid", "boy", "girl"],
        "car": ["automobile", "vehicle", "sedan"],
        "bicycle": ["bike", "cycle"],
        "motorcycle": ["motorbike", "bike"],
        "airplane": ["plane", "aeroplane", "aircraft", "jet", "airliner"],
        "bus": ["coach"],
        "boat": ["ship", "vessel", "yacht"],
        "tv": ["television", "tv set", "screen"],
        "television": ["tv"],
        "cell phone": ["phone", "smartphone", "mobile phone", "cellphone", "iphone"],
        "phone": ["smartphone", "cellphone", "telephone"],
        "laptop": ["notebook", "computer"],
        "couch": ["sofa"],
        "sofa": ["couch"],
        "bird": ["birds"],
        "horse": ["pony", "stallion", "mare"],
        "cup": ["mug"],
        "mug": ["cup"],
        "logo": ["emblem", "brand mark", "trademark"],
        "watermark": ["stock photo", "copyright"],
        "text": ["caption", "writing", "lettering", "words"],
        "tree": ["trees"],
        "flower": ["blossom", "bloom"],
        "helmet": ["headgear"],
        "moon": ["lunar"],
        "rocket": ["spacecraft", "launch vehicle"],
        "astronaut": ["spaceman", "cosmonaut"],
        "sunglasses": ["shades"],
        "hat": ["cap"],
        "bottle": ["bottles"],
        "chair": ["seat"],
        "teddy bear": ["teddy", "plush bear"],
    ]
}
