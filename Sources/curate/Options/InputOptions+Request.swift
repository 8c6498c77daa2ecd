import Curate
import Foundation

extension InputOptions {
    /// The library's view of these options. A `weight` field (what `rebalance` with `method: reweight` writes)
    /// weighs each sample, so `stats`, `audit` and `apply` of a reweighted list agree with the run that wrote it.
    var request: DatasetRequest {
        var request = DatasetRequest(
            inputs: inputs, fields: fieldNames, imageRoot: effectiveImageRoot, embeddings: embeddings, objects: objects,
            concepts: concepts, conceptLabels: conceptLabels, indexPath: indexPath, scan: scanOptions)
        request.weightField = "weight"
        return request
    }
}
