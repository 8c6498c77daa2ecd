import Detect
import Foundation

/// What to read: the inputs and side files named on the command line.
public struct DatasetRequest: Sendable {
    public var inputs: [String]
    public var fields: FieldNames
    /// The folder manifests' image paths resolve against and stay inside (nil: each manifest's own folder).
    public var imageRoot: String?
    public var embeddings: String?
    public var objects: String?
    public var concepts: String?
    public var conceptLabels: String?
    public var indexPath: String
    public var scan: ScanOptions
    /// A numeric record field read as each sample's weight in the trigger statistics and in `rebalance`'s counts
    /// (the command reads `weight`, the field `rebalance` with `method: reweight` writes, so a reweighted list is
    /// measured as the policy measured it); nil: every sample weighs 1.
    public var weightField: String?

    public init(
        inputs: [String], fields: FieldNames = FieldNames(), imageRoot: String? = nil, embeddings: String? = nil,
        objects: String? = nil, concepts: String? = nil, conceptLabels: String? = nil, indexPath: String,
        scan: ScanOptions = ScanOptions()
    ) {
        self.inputs = inputs
        self.fields = fields
        self.imageRoot = imageRoot
        self.embeddings = embeddings
        self.objects = objects
        self.concepts = concepts
        self.conceptLabels = conceptLabels
        self.indexPath = indexPath
        self.scan = scan
    }
}
