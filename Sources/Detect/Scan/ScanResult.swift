import Foundation

/// One sample after the scan, as a batch hands it over: the sample and what is known about its image.
struct ScannedSample: Sendable {
    var sample: Sample
    /// Features of the image, nil when it is missing, could not be decoded, or belongs to another shard.
    var features: ImageFeatures?
    /// Why there are no features, when the image is missing or unreadable.
    var imageProblem: ProblemKind?
}

/// The result of scanning a dataset, column by column in input order, so that it costs a few hundred bytes per
/// sample: keys, captions, the features of the distinct images with one slot per sample (a file shared by many
/// rows is held once), image problems, and the record fields the scan was asked to keep.
public struct ScanResult: Sendable {
    /// Sample keys by ordinal.
    public private(set) var keys: [String] = []
    /// Captions by ordinal.
    public private(set) var captions: [String] = []
    /// Each sample's image features, every distinct image held once; empty after ``releaseFeatures()``, and when
    /// the scan was asked not to keep them (``ScanOptions/keepsFeatures``).
    public private(set) var features = SampleFeatures()
    /// Why a sample's image is missing or unreadable, by ordinal.
    public private(set) var imageProblems: [ProblemKind?] = []
    /// The kept fields of each record (``ScanOptions/keptRecordFields``), by ordinal, up to the last record that
    /// kept any: a policy that keeps a field most rows lack (`weight`) costs nothing on a dataset without it.
    public private(set) var records: [Record] = []
    private let keepsRecords: Bool
    private let keepsFeatures: Bool

    /// Every problem found while reading, in the order found.
    public var problems: [InputProblem] = []
    /// Images decoded in this run (not found in the index).
    public var imagesDecoded = 0
    /// Images whose features came from the index.
    public var imagesCached = 0
    public var seconds: Double = 0
    /// Every record field name seen, in first-seen order (the columns of a delimited manifest written back).
    public var fieldNames: [String] = []

    /// An empty result; `keepsRecords` false leaves ``records`` empty, `keepsFeatures` false ``features``.
    public init(keepsRecords: Bool = true, keepsFeatures: Bool = true) {
        self.keepsRecords = keepsRecords
        self.keepsFeatures = keepsFeatures
    }

    /// Number of samples.
    public var count: Int { keys.count }

    /// The kept record of sample `ordinal` (no fields when records are not kept).
    public func record(of ordinal: Int) -> Record {
        ordinal < records.count ? records[ordinal] : Record(encoding: .json)
    }

    /// Number of problems of each kind, by the kind's name.
    public var problemCounts: [String: Int] {
        problems.reduce(into: [:]) { $0[$1.kind.rawValue, default: 0] += 1 }
    }

    /// Lets go of the features (their hashes are most of a scan's memory) once clustering has used them, and
    /// returns what is left to know of each image. Afterwards ``features`` holds no samples.
    public mutating func releaseFeatures() -> SampleImageFacts {
        let facts = features.facts
        features = SampleFeatures()
        return facts
    }

    /// Lets go of what only appending needs (the features' content-hash lookup) and of spare array capacity: the
    /// scan's columns are then held at their exact size through clustering, the run's peak. Appending later still
    /// works (the lookup is rebuilt).
    mutating func finishAppending() {
        features.finishAppending()
        keys = keys.shrunkToFit()
        captions = captions.shrunkToFit()
        imageProblems = imageProblems.shrunkToFit()
        if keepsRecords { records = records.shrunkToFit() }
    }

    /// Appends one sample in input order.
    mutating func append(_ scanned: ScannedSample) {
        keys.append(scanned.sample.key)
        captions.append(scanned.sample.caption)
        imageProblems.append(scanned.imageProblem)
        if keepsRecords, !scanned.sample.record.fields.isEmpty || !records.isEmpty {
            if records.count < keys.count - 1 {
                records += repeatElement(Record(encoding: scanned.sample.record.encoding), count: keys.count - 1 - records.count)
            }
            records.append(scanned.sample.record)
        }
        if keepsFeatures { features.append(scanned.features) }
    }
}
