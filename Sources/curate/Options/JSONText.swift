import Foundation

/// Deterministic JSON text: sorted keys, no escaped slashes.
enum JSONText {
    static func object(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
