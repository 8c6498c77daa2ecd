import Curate
import Foundation

extension InputOptions {
    /// The library's view of these options.
    var request: DatasetRequest {
        DatasetRequest(
            inputs: inputs, fields: fieldNames, imageRoot: imageRoot, embeddings: embeddings, objects: objects,
            concepts: concepts, conceptLabels: conceptLabels, indexPath: indexPath, scan: scanOptions)
    }
}
