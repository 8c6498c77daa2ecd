import Detect
import Foundation

/// `manifest.tar`, the cleaned list of webdataset inputs: every kept sample's members copied from its input shard,
/// in input order, under the sample's key (`KEY~2` for a repeated key, so the shard holds each name once). A
/// rewritten caption replaces `KEY.txt`, or the caption field of `KEY.json` when the sample's caption came from
/// there; a reweighted sample's `KEY.json` gains a `weight` field (or is added holding it); others stay as they were.
struct TarManifest {
    /// One kept sample: which sample of which shard it is.
    struct Kept {
        var shard: String
        /// Its position among the samples read from that shard (0 for the first).
        var position: Int
        var name: String
        var ordinal: Int
        /// The image member's name in the input shard.
        var imageMember: String?
    }

    private(set) var kept: [Kept] = []
    private var samplesPerShard: [String: Int] = [:]

    /// Notes the next sample read from a shard (every one, kept or not, so positions line up with the shard).
    mutating func note(_ sample: Sample, ordinal: Int, isKept: Bool) {
        let shard = sample.origin.file
        let position = samplesPerShard[shard, default: 0]
        samplesPerShard[shard] = position + 1
        guard isKept else { return }
        kept.append(
            Kept(shard: shard, position: position, name: sample.key, ordinal: ordinal, imageMember: sample.origin.member))
    }

    /// What the plan changes in the copies.
    struct Edits {
        var plan: Plan
        /// The run's field overrides: which field of `KEY.json` holds a caption.
        var fields: FieldNames

        func caption(_ sample: Kept) -> String? {
            plan.decisions[sample.ordinal].isRewritten ? plan.decisions[sample.ordinal].caption : nil
        }

        /// The weight a reweighted sample gets; nil for the others, whose members stay byte for byte (a webdataset
        /// loader reads a missing `weight` as 1, and a shard has no columns to keep uniform as a CSV has).
        func weight(_ sample: Kept) -> Double? { plan.decisions[sample.ordinal].weight }
    }

    /// Copies the kept samples' members into `file` (not committed).
    func write(to file: AtomicFile, edits: Edits) throws(OutputError) {
        let tar = try TarWriter(file)
        var next = 0
        while next < kept.count {
            let shard = kept[next].shard
            var end = next
            while end < kept.count, kept[end].shard == shard { end += 1 }
            try copy(kept[next..<end], from: shard, into: tar, edits: edits)
            next = end
        }
        try tar.finish()
    }

    /// Walks one shard's groups of members, counting the samples (groups with an image), and writes the kept ones.
    private func copy(
        _ samples: ArraySlice<Kept>, from shard: String, into tar: TarWriter, edits: Edits
    ) throws(OutputError) {
        var pending = samples
        var reader = try? WebDatasetMembers(path: shard)
        var group: [WebDatasetMembers.Member] = []
        var position = 0
        func finishGroup() throws(OutputError) {
            defer { group.removeAll() }
            guard group.contains(where: \.isImage) else { return }
            defer { position += 1 }
            guard let sample = pending.first, sample.position == position else { return }
            pending.removeFirst()
            try write(sample, members: group, into: tar, edits: edits)
        }
        while let member = reader?.next() {
            if let last = group.last, last.key != member.key { try finishGroup() }
            group.append(member)
        }
        try finishGroup()
        // Samples the copy cannot reach (their image member is where the shard breaks, or the shard changed since
        // the scan) stay samples: an empty image member, as unreadable as theirs was, and their caption.
        for sample in pending {
            let suffix = sample.imageMember.flatMap { WebDatasetMembers.split($0)?.suffix } ?? "jpg"
            try tar.add(name: sample.name + "." + suffix, data: Data())
            try tar.add(name: sample.name + ".txt", data: Data(edits.plan.decisions[sample.ordinal].caption.utf8))
            if let weight = edits.weight(sample) {
                try tar.add(name: sample.name + ".json", data: Self.withWeight(Data("{}".utf8), weight))
            }
        }
    }

    private func write(
        _ sample: Kept, members: [WebDatasetMembers.Member], into tar: TarWriter, edits: Edits
    ) throws(OutputError) {
        let caption = edits.caption(sample)
        let weight = edits.weight(sample)
        let hasText = members.contains { $0.suffix.lowercased() == "txt" }
        var wroteCaption = false
        var wroteWeight = false
        for member in members {
            guard var data = member.data else { continue }
            switch member.suffix.lowercased() {
            case "txt":
                if let caption {
                    data = Data(caption.utf8)
                    wroteCaption = true
                }
            case "json":
                // Without KEY.txt the reader took the caption from here: the rewrite goes here too.
                if let caption, !hasText, let rewritten = Self.withCaption(data, caption, fields: edits.fields) {
                    data = rewritten
                    wroteCaption = true
                }
                if let weight {
                    data = Self.withWeight(data, weight)
                    wroteWeight = true
                }
            default: break
            }
            try tar.add(name: sample.name + "." + member.suffix, data: data)
        }
        if let caption, !wroteCaption { try tar.add(name: sample.name + ".txt", data: Data(caption.utf8)) }
        if let weight, !wroteWeight {
            try tar.add(name: sample.name + ".json", data: Self.withWeight(Data("{}".utf8), weight))
        }
    }

    /// The JSON object with its caption field (as the reader finds it: the override, else the first alias) set
    /// to `caption`, every other byte as it was; nil when it has none or is not an object.
    static func withCaption(_ json: Data, _ caption: String, fields: FieldNames) -> Data? {
        var splitter = JSONObjectSplitter()
        guard let members = try? json.withUnsafeBytes({ raw throws(JSONSyntaxError) in try splitter.split(raw) })
        else { return nil }
        let record = Record(encoding: .json, fields: members.map { Record.Field(name: $0.name, value: "") })
        guard let name = fields.roles(in: record).caption, let member = members.first(where: { $0.name == name })
        else { return nil }
        var out = json
        out.replaceSubrange(
            (json.startIndex + member.value.lowerBound)..<(json.startIndex + member.value.upperBound),
            with: Data(JSONValue.string(caption).compact.utf8))
        return out
    }

    /// A JSON object with `weight` set: the object's own text with the field added before its closing brace, or
    /// re-encoded when it already has a `weight` (multiplied in, as a JSONL manifest does) or is not an object.
    static func withWeight(_ json: Data, _ weight: Double) -> Data {
        let number = JSONValue.number(weight).compact
        let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any]
        let existing = (object?["weight"] as? NSNumber).map(\.doubleValue).flatMap { $0.isFinite ? $0 : nil }
        if let object, object["weight"] == nil, let text = String(data: json, encoding: .utf8),
            let close = text.lastIndex(of: "}")
        {
            let head = text[..<close].trimmingCharacters(in: .whitespacesAndNewlines)
            return Data((head + (object.isEmpty ? "" : ", ") + "\"weight\": \(number)}").utf8)
        }
        var fields = object ?? [:]
        fields["weight"] = weight * (existing ?? 1)
        return (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
    }
}
