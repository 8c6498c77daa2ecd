import Detect

extension Policy {
    /// Terms the policy names itself (rewrite and remove selectors): kept in the term index whatever their support.
    public var keptTerms: Set<String> {
        let normalizer = CaptionTerms()
        var terms: Set<String> = []
        for action in actions {
            switch action {
            case .rewriteCaptions(let rewrite): terms.formUnion(rewrite.terms.map { normalizer.normalizedPhrase($0) })
            case .remove(let remove): terms.formUnion((remove.terms ?? []).map { normalizer.normalizedPhrase($0) })
            default: break
            }
        }
        terms.remove("")
        return terms
    }

    /// Record fields the policy selects on (`remove` with `field`): the only fields the scan keeps per sample.
    public var selectedFields: Set<String> {
        var names: Set<String> = []
        for case .remove(let remove) in actions { if let field = remove.field { names.insert(field.name) } }
        return names
    }
}
