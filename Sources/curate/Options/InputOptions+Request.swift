import Curate
import Foundation

extension InputOptions {
    /// The library's view of these options. A `weight` field (what `rebalance` with `method: reweight` writes)
    /// weighs each sample, so `stats`, `audit` and `apply` of a reweighted list agree with the run that wrote it.
    ///
    /// For a manifest in a curate output folder, what `--index` and `--image-root` leave open comes from the run
    /// that wrote it (its `run.json`, read once): its index, so nothing is decoded again and no index is left in
    /// the output folder, and its image folder, since the cleaned manifest keeps the paths as the input gave them.
    var request: DatasetRequest {
        let earlier = index != nil && imageRoot != nil ? nil : earlierRun
        var request = DatasetRequest(
            inputs: inputs, fields: fieldNames, imageRoot: imageRoot ?? earlier?.imageRoot, embeddings: embeddings,
            objects: objects, concepts: concepts, conceptLabels: conceptLabels,
            indexPath: index ?? earlier?.index ?? defaultIndexPath, scan: scanOptions)
        request.weightField = "weight"
        return request
    }
}
