import Foundation

/// One sample after the scan: the sample itself and what is known about its image.
public struct ScannedSample: Sendable {
    public var sample: Sample
    /// Features of the image, nil when it is missing or could not be decoded.
    public var features: ImageFeatures?
    /// Why there are no features, when there are none.
    public var imageProblem: ProblemKind?
    /// The image file, when the image is a local file (not a member of a tar shard).
    public var imageFile: URL?

    public init(sample: Sample, features: ImageFeatures?, imageProblem: ProblemKind?, imageFile: URL? = nil) {
        self.sample = sample
        self.features = features
        self.imageProblem = imageProblem
        self.imageFile = imageFile
    }
}

/// The result of scanning a dataset: every sample in input order, the problems found, and counts.
public struct ScanResult: Sendable {
    public var samples: [ScannedSample]
    /// Every problem found while reading, in the order found.
    public var problems: [InputProblem]
    /// Images decoded in this run (not found in the index).
    public var imagesDecoded: Int
    /// Images whose features came from the index.
    public var imagesCached: Int
    public var seconds: Double
    /// Every record field name seen, in first-seen order (the columns of a delimited manifest written back).
    public var fieldNames: [String] = []

    public init(samples: [ScannedSample], problems: [InputProblem], imagesDecoded: Int, imagesCached: Int, seconds: Double) {
        self.samples = samples
        self.problems = problems
        self.imagesDecoded = imagesDecoded
        self.imagesCached = imagesCached
        self.seconds = seconds
    }

    /// Number of problems of each kind, by the kind's name.
    public var problemCounts: [String: Int] {
        problems.reduce(into: [:]) { $0[$1.kind.rawValue, default: 0] += 1 }
    }
}
