import Detect
import Foundation

extension DatasetAnalysis {
    /// Each sample's weight from the record field `field` (a cleaned list that `rebalance` reweighted), so its
    /// statistics are the weighted ones the policy met; nil when no record has the field. A row without the field
    /// weighs 1; a value that is not a finite number ≥ 0 weighs 1 and is reported (one problem for all of them).
    static func weights(
        of scan: ScanResult, field: String, input: String, problems: inout [InputProblem]
    ) -> [Double]? {
        var weights = [Double](repeating: 1, count: scan.count)
        var found = false
        var invalid: [Int] = []
        for ordinal in 0..<scan.count {
            let record = scan.record(of: ordinal)
            guard let raw = record[field] else { continue }
            found = true
            var text = raw.trimmingCharacters(in: .whitespaces)
            if record.encoding == .json, text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 {
                text = String(text.dropFirst().dropLast())
            }
            if let value = Double(text), value.isFinite, value >= 0 { weights[ordinal] = value } else { invalid.append(ordinal) }
        }
        if let first = invalid.first {
            problems.append(
                InputProblem(
                    .invalidWeight, at: SampleOrigin(file: input), key: scan.keys[first],
                    "\(invalid.count) sample\(invalid.count == 1 ? "" : "s") have a \(field) that is not a number ≥ 0"
                        + " (this is the first); they weigh 1"))
        }
        return found ? weights : nil
    }
}
