import Detect
import Foundation

extension PlanState {
    /// Removes every kept sample that matches all of the action's selectors.
    mutating func apply(_ action: RemoveAction, rule: String) {
        var clusterSizes: [Int: Int] = [:]
        if action.minClusterSize != nil {
            for sample in input.samples { if let cluster = sample.cluster { clusterSizes[cluster, default: 0] += 1 } }
        }
        for index in survivors {
            let sample = input.samples[index]
            var because: [String] = []
            if let terms = action.terms {
                guard let term = terms.first(where: { carries(index, $0) }) else { continue }
                // A removed sample's rewrites are not in changes.jsonl (only kept captions are): say where the
                // term came from when an earlier rewrite put it there.
                let decision = decisions[index]
                if let last = decision.changes.last, !CaptionText.contains(term, in: input.samples[index].caption) {
                    because.append("caption carries `\(term)` after \(last.rule) rewrote it to \"\(decision.caption)\"")
                } else {
                    because.append("caption carries `\(term)`")
                }
            }
            if let minimum = action.minClusterSize {
                guard let cluster = sample.cluster, let size = clusterSizes[cluster], size >= minimum else { continue }
                because.append("cluster \(cluster) has \(size) samples (≥ \(minimum))")
            }
            if action.missingImage == true {
                guard let problem = sample.problem else { continue }
                because.append("image unusable (\(problem.rawValue))")
            }
            if let kinds = action.errorKinds {
                guard let problem = sample.problem, kinds.contains(problem) else { continue }
                if action.missingImage != true { because.append("image problem \(problem.rawValue)") }
            }
            if let field = action.field {
                guard let value = sample.record[field.name],
                    Self.fieldText(value, encoding: sample.record.encoding) == field.value
                else { continue }
                because.append("field \(field.name) = \(field.value)")
            }
            remove(index, reason: because.joined(separator: "; "), rule: rule)
        }
    }

    /// A field's value as text: JSON strings decoded, other JSON values as written, CSV cells as they are.
    static func fieldText(_ value: String, encoding: Record.Encoding) -> String {
        guard encoding == .json, value.hasPrefix("\"") else { return value }
        let data = Data(value.utf8)
        return (try? JSONDecoder().decode(String.self, from: data)) ?? value
    }
}
