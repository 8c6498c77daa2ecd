import Detect

/// Everything the planner needs to know about one sample. Built by the command from reader, features and clustering.
///
/// One is held for every row while the plan is made, so the optional numbers are stored in as few bytes as they
/// need (``CompactOptional``) and an empty record takes no space: 96 bytes a sample instead of 208 (112 MB less at
/// 1M rows).
public struct PlanSample: Sendable, Hashable {
    public var key: String
    /// The caption as read.
    public var caption: String
    /// Normalized terms of the caption (as the trigger miner computed them). The planner looks up only trigger
    /// terms and the policy's own terms, so a caller may pass just those.
    public var terms: [String]
    /// Near-duplicate cluster id (`Clustering.clusterOf`), nil for a sample with no near-duplicate.
    @CompactOptional<Int32> public var cluster: Int? = nil
    /// Group of byte-identical images (samples with equal content hash share an id), nil when unique or unreadable.
    @CompactOptional<Int32> public var exactGroup: Int? = nil
    /// Image size in pixels, when the image was read.
    @CompactOptional<Int32> public var width: Int? = nil
    @CompactOptional<Int32> public var height: Int? = nil
    /// Pixels of the picture inside any uniform border (padding, letterboxing), when the image was read; `largest`
    /// compares these (defaults to `width * height`).
    @CompactOptional<Int64> public var contentPixels: Int? = nil
    /// Bytes per pixel of ``compression`` (declared before the one-byte fields, which then share one word).
    private var storedBytesPerPixel: Float32 = 0
    /// PDQ quality 0...100, when the image was read.
    @CompactOptional<Int8> public var quality: Int? = nil
    /// 0 without ``compression``, else 1 + the format's `code`.
    private var storedFormat: UInt8 = 0
    /// Why the image is missing or unreadable, nil when it was read.
    public var problem: ProblemKind?
    /// Objects seen in the image (detector, tagger or zero-shot labels).
    public var objects: Set<String>
    /// The record when it has anything in it (most rows keep no field).
    private var storedRecord: [Record] = []
    /// The training weight the record already carries (its `weight` field, from an earlier reweight), 1 when it
    /// has none: `rebalance` counts copies by it, and a new weight multiplies it.
    public var weight: Double

    public init(
        key: String, caption: String, terms: [String], cluster: Int? = nil, exactGroup: Int? = nil, width: Int? = nil,
        height: Int? = nil, contentPixels: Int? = nil, quality: Int? = nil, problem: ProblemKind? = nil,
        objects: Set<String> = [], record: Record = Record(encoding: .json), weight: Double = 1
    ) {
        self.key = key
        self.caption = caption
        self.terms = terms
        self.problem = problem
        self.objects = objects
        self.weight = weight
        self.cluster = cluster
        self.exactGroup = exactGroup
        self.width = width
        self.height = height
        self.contentPixels = contentPixels ?? width.flatMap { w in height.map { w * $0 } }
        self.quality = quality
        self.record = record
    }

    /// The image file's format and bytes per pixel, when it was read: `quality` breaks PDQ's ties (it saturates at
    /// 100 for most photos) by the lighter compression among copies of one format.
    public var compression: ImageCompression? {
        get {
            guard storedFormat > 0 else { return nil }
            return ImageCompression(
                format: ImageFormat(code: storedFormat - 1), bytesPerPixel: Double(storedBytesPerPixel))
        }
        set {
            storedFormat = newValue.map { $0.format.code + 1 } ?? 0
            storedBytesPerPixel = Float32(newValue?.bytesPerPixel ?? 0)
        }
    }

    /// The original record, for field selectors and writers.
    public var record: Record {
        get { storedRecord.first ?? Record(encoding: .json) }
        set { storedRecord = newValue == Record(encoding: .json) ? [] : [newValue] }
    }
}

/// A count or id that is never negative, or nil, stored in `Stored` with -1 for nil (values beyond its range are
/// clamped): an `Int?` takes 16 bytes in a struct, an `Int32` 4.
@propertyWrapper
public struct CompactOptional<Stored: FixedWidthInteger & SignedInteger & Sendable>: Sendable, Hashable {
    private var stored: Stored

    public init(wrappedValue: Int?) {
        stored = -1
        self.wrappedValue = wrappedValue
    }

    public var wrappedValue: Int? {
        get { stored < 0 ? nil : Int(stored) }
        set { stored = newValue.map { Stored(clamping: max(0, $0)) } ?? -1 }
    }
}

/// A word-level trigger found by the miner.
public struct WordTrigger: Sendable, Hashable {
    public var term: String
    /// Statistics before any action; `statistics.topCluster` is the cluster the term is tied to.
    public var statistics: WordStatistics

    public init(term: String, statistics: WordStatistics) {
        self.term = term
        self.statistics = statistics
    }
}

/// An object-level trigger found by the miner: images with `term` keep showing `object`.
public struct ObjectTrigger: Sendable, Hashable {
    public var term: String
    public var object: String
    public var statistics: ObjectStatistics

    public init(term: String, object: String, statistics: ObjectStatistics) {
        self.term = term
        self.object = object
        self.statistics = statistics
    }
}

/// The planner's input: samples in input order and the triggers mined from them.
public struct PlanInput: Sendable, Hashable {
    public var samples: [PlanSample]
    public var wordTriggers: [WordTrigger]
    public var objectTriggers: [ObjectTrigger]
    /// The near-duplicate clustering the samples' `cluster` ids come from, with its links: `dedupe` clusters its
    /// kept samples again with it. Nil: the ids are all there is (no second look).
    public var clustering: Clustering?

    public init(
        samples: [PlanSample], wordTriggers: [WordTrigger] = [], objectTriggers: [ObjectTrigger] = [],
        clustering: Clustering? = nil
    ) {
        self.samples = samples
        self.wordTriggers = wordTriggers
        self.objectTriggers = objectTriggers
        self.clustering = clustering
    }
}

/// How an image file was stored: its format and file bytes per pixel.
public struct ImageCompression: Sendable, Hashable {
    public var format: ImageFormat
    public var bytesPerPixel: Double

    public init(format: ImageFormat, bytesPerPixel: Double) {
        self.format = format
        self.bytesPerPixel = bytesPerPixel
    }
}
