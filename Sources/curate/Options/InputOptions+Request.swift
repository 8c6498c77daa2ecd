import Curate
import Foundation

extension InputOptions {
    /// The library's view of these options.
    var request: DatasetRequest {
        DatasetRequest(
            inputs: inputs, fields: fieldNames, embeddings: embeddings, objects: objects, concepts: concepts,
            conceptLabels: conceptLabels, indexPath: indexPath, scan: scanOptions)
    }
}

/// Deterministic JSON text: sorted keys, no escaped slashes.
enum JSONText {
    static func object(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
