import Detect
import Foundation

/// `manifest.tar`, the cleaned list of webdataset inputs: every kept sample's members copied from its input shard,
/// in input order, under the sample's key (`KEY~2` for a repeated key). A rewritten caption replaces `KEY.txt` (or
/// is added as it); a reweighted sample's `KEY.json` gains a `weight` field (or is added holding it).
struct TarManifest {
    /// One kept sample: which sample of which shard it is, and what changes.
    struct Kept {
        var shard: String
        /// Its position among the samples read from that shard (0 for the first).
        var position: Int
        var name: String
        var caption: String?
        var weight: Double?
    }

    private(set) var kept: [Kept] = []
    private var samplesPerShard: [String: Int] = [:]

    /// Notes the next sample read from a shard (every one, kept or not, so positions line up with the shard).
    /// `weights`: the plan reweighted, so every kept sample gets a weight (1 when untouched), as in a JSONL manifest.
    mutating func note(shard: String, name: String, decision: SampleDecision, weights: Bool) {
        let position = samplesPerShard[shard, default: 0]
        samplesPerShard[shard] = position + 1
        guard decision.isKept else { return }
        kept.append(
            Kept(
                shard: shard, position: position, name: name, caption: decision.isRewritten ? decision.caption : nil,
                weight: weights ? decision.weight ?? 1 : nil))
    }

    /// Copies the kept samples' members into `file` (not committed).
    func write(to file: AtomicFile) throws(OutputError) {
        let tar = try TarWriter(file)
        var next = 0
        while next < kept.count {
            let shard = kept[next].shard
            var end = next
            while end < kept.count, kept[end].shard == shard { end += 1 }
            try copy(kept[next..<end], from: shard, into: tar)
            next = end
        }
        try tar.finish()
    }

    /// Walks one shard's groups of members, counting the samples (groups with an image), and writes the kept ones.
    private func copy(_ samples: ArraySlice<Kept>, from shard: String, into tar: TarWriter) throws(OutputError) {
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
            try write(sample, members: group, into: tar)
        }
        while let member = reader?.next() {
            if let last = group.last, last.key != member.key { try finishGroup() }
            group.append(member)
        }
        try finishGroup()
        // Samples the copy could not reach (the shard is damaged or gone since the scan) keep their text.
        for sample in pending { try write(sample, members: [], into: tar) }
    }

    private func write(_ sample: Kept, members: [WebDatasetMembers.Member], into tar: TarWriter) throws(OutputError) {
        var wroteCaption = false
        var wroteWeight = false
        for member in members {
            guard var data = member.data else { continue }
            let suffix = member.suffix.lowercased()
            if suffix == "txt", let caption = sample.caption {
                data = Data(caption.utf8)
                wroteCaption = true
            } else if suffix == "json", let weight = sample.weight {
                data = Self.withWeight(data, weight)
                wroteWeight = true
            }
            try tar.add(name: sample.name + "." + member.suffix, data: data)
        }
        if let caption = sample.caption, !wroteCaption { try tar.add(name: sample.name + ".txt", data: Data(caption.utf8)) }
        if let weight = sample.weight, !wroteWeight {
            try tar.add(name: sample.name + ".json", data: Self.withWeight(Data("{}".utf8), weight))
        }
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
