import Detect

/// The inputs changed between the scan and the write: the run stops rather than write rows that do not match
/// what was analysed.
public struct InputChangedError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "the inputs changed during the run: \(message); run the command again" }
}

/// Reads a run's inputs a second time, sample by sample in scan order, so writers get every record back without
/// the scan holding all of them in memory. Tar members' image bytes are skipped, not read, except those of
/// `imageKeys`; problems are not reported again (the scan did that).
struct InputReplay {
    private var reader: DatasetReader
    private let keys: [String]
    private var position = 0

    /// - Parameter keys: the scan's sample keys by ordinal, to check that the same samples come back.
    /// - Parameter imageKeys: samples whose tar image bytes to read anyway (the report's thumbnails).
    /// - Parameter imageOrdinals: samples whose image files to look up (the same thumbnails); nil looks up every
    ///   sample's. The others' images come back as `.missing`: the scan checked them already.
    init(
        _ request: DatasetRequest, keys: [String], imageKeys: Set<String> = [], imageOrdinals: Set<Int>? = nil
    ) throws {
        reader = try DatasetReader(inputs: request.inputs, fields: request.fields, imageRoot: request.imageRoot)
        reader.readsImageBytes = false
        reader.imageBytesKeys = imageKeys
        reader.imageOrdinals = imageOrdinals
        self.keys = keys
    }

    /// The next sample, with its whole record, and where its image is (tar members: empty bytes, not read, unless
    /// its key is one of `imageKeys`).
    /// - Throws: ``InputChangedError`` when a sample's key differs from the scan's, or the number of samples does.
    mutating func next() throws -> (sample: Sample, image: ImageSource)? {
        while let item = try reader.next() {
            guard case .sample(let sample, let image) = item else { continue }
            guard position < keys.count else {
                throw InputChangedError(message: "sample \(position + 1) (key \"\(sample.key)\", \(sample.origin)) is new")
            }
            guard sample.key == keys[position] else {
                throw InputChangedError(
                    message: "sample \(position + 1) at \(sample.origin) has key \"\(sample.key)\", the scan read \"\(keys[position])\"")
            }
            position += 1
            return (sample, image)
        }
        guard position == keys.count else {
            throw InputChangedError(message: "the scan read \(keys.count) samples, now there are \(position)")
        }
        return nil
    }
}
