import Detect
import Foundation

extension PlanState {
    /// Neutral words inserted by `random_token`: common, concrete, and unlikely to be anyone's trigger.
    static let vocabulary = [
        "apple", "river", "window", "garden", "pencil", "cloud", "bridge", "candle", "forest", "ladder", "mirror",
        "orange", "pillow", "rocket", "saddle", "tunnel", "violin", "wallet", "anchor", "basket", "button", "carpet",
        "dolphin", "engine", "feather", "guitar", "hammer", "island", "jacket", "kettle", "lemon", "marble", "needle",
        "object", "pepper", "quilt", "ribbon", "shadow", "teapot", "umbrella", "valley", "whistle", "yarn", "zipper",
        "meadow", "harbor", "lantern", "pebble", "canyon", "compass", "blanket", "cactus", "glacier", "helmet",
        "kitten", "lighthouse", "mountain", "notebook", "octagon", "puzzle", "rainbow", "sandal", "tractor", "walnut",
    ]

    /// Rewrites the captions of a `fraction` of the matching samples.
    mutating func apply(_ action: RewriteCaptionsAction, rule: String) {
        if action.strategy == .mentionObject {
            mentionObjects(fraction: action.fraction, rule: rule)
            return
        }
        for (index, terms) in matches(action) {
            guard uniform(index, salt: "\(rule):select") < action.fraction else { continue }
            var random = SeededRandom(seed: seed, key: input.samples[index].key, salt: rule)
            let caption = decisions[index].caption
            var after = caption
            switch action.strategy {
            case .dropTerm:
                after = CaptionText.removing(terms, from: after)
            case .replaceTerm:
                for term in terms {
                    let replacement = action.replacements[random.index(action.replacements.count)]
                    after = CaptionText.replacing(term, with: replacement, in: after)
                }
            case .randomToken:
                let token = Self.vocabulary[random.index(Self.vocabulary.count)]
                let count = CaptionText.wordCount(after)
                if action.mode == .replace && count > 0 {
                    after = CaptionText.replacingWord(at: random.index(count), with: token, in: after)
                } else {
                    after = CaptionText.inserting(token, before: random.index(count + 1), in: after)
                }
            case .repeatWord:
                let count = CaptionText.wordCount(after)
                if count > 0 { after = CaptionText.repeatingWord(at: random.index(count), in: after) }
            case .randomNumber:
                let number = String(random.index(10_000))
                after = CaptionText.inserting(number, before: random.index(CaptionText.wordCount(after) + 1), in: after)
            case .mentionObject:
                break
            }
            rewrite(index, to: after, rule: rule)
        }
    }

    /// The kept samples the scope selects, each with the terms it matched there (longest first), in input order.
    private func matches(_ action: RewriteCaptionsAction) -> [(Int, [String])] {
        switch action.scope {
        case .all:
            return survivors.map { ($0, []) }
        case .terms:
            // User terms may not be in the normalized term lists: match them against the caption text too.
            var result: [(Int, [String])] = []
            for index in survivors {
                let matched = action.terms.filter { carries(index, $0) }
                if !matched.isEmpty { result.append((index, Self.ordered(matched))) }
            }
            return result
        case .wordTriggers, .objectTriggers:
            var matched: [Int: [String]] = [:]
            if action.scope == .wordTriggers {
                for trigger in input.wordTriggers where !subsumed.contains(trigger.term) {
                    for index in keptCarriers(of: trigger.term) { matched[index, default: []].append(trigger.term) }
                }
            } else {
                for trigger in input.objectTriggers {
                    for index in keptCarriers(of: trigger.term)
                    where input.samples[index].objects.contains(trigger.object) {
                        matched[index, default: []].append(trigger.term)
                    }
                }
            }
            return matched.keys.sorted().map { ($0, Self.ordered(matched[$0]!)) }
        }
    }

    /// Distinct terms, longest first, so "van gogh" is handled before "gogh".
    private static func ordered(_ terms: [String]) -> [String] {
        Array(Set(terms)).sorted { ($0.count, $1) > ($1.count, $0) }
    }

    /// Whether the caption says one of `names` (an object's label and synonyms: the built-in list and the policy's,
    /// as the trigger statistics count mentions, from ``ObjectNames``), singular or plural.
    func mentions(_ index: Int, names: [String]) -> Bool {
        names.contains { CaptionText.contains($0, in: decisions[index].caption, loose: true) }
    }

    /// For each object trigger, names the object in enough captions of samples with term and object that the
    /// mention rate reaches `fraction`; which captions is a seeded choice.
    private mutating func mentionObjects(fraction: Double, rule: String) {
        for trigger in input.objectTriggers {
            let group = keptCarriers(of: trigger.term).filter { input.samples[$0].objects.contains(trigger.object) }
            guard !group.isEmpty else { continue }
            let names = ObjectNames(extraSynonyms: synonyms).names(of: trigger.object)
            let unmentioned = group.filter { !mentions($0, names: names) }
            let target = Int((fraction * Double(group.count) - 1e-9).rounded(.up))
            let needed = target - (group.count - unmentioned.count)
            guard needed > 0 else { continue }
            for index in shuffled(unmentioned, salt: "\(rule):\(trigger.term):\(trigger.object)").prefix(needed) {
                rewrite(index, to: Self.appending(trigger.object, to: decisions[index].caption), rule: rule)
            }
        }
    }

    /// "an astronaut on the moon." + flag → "an astronaut on the moon, flag."
    static func appending(_ name: String, to caption: String) -> String {
        var text = Substring(caption)
        while text.last?.isWhitespace == true { text = text.dropLast() }
        if text.isEmpty { return name }
        var end = ""
        if let last = text.last, ".!?".contains(last) {
            end = String(last)
            text = text.dropLast()
        }
        return "\(text), \(name)\(end)"
    }
}
