import Detect
import Foundation

/// What `curate report OUT_DIR` needs besides the folder: captions and images by key, read again from the inputs
/// that `run.json` names. Of tar shards, only the images the report shows are read (found by a dry render).
public struct ReportInputs {
    public var captions: [String: String] = [:]
    /// Local files (`.file`) and the tar members the report shows (`.bytes`).
    var images: [String: ImageSource] = [:]

    public init(folder: URL) throws {
        let runFile = folder.appendingPathComponent("run.json")
        guard let data = try? Data(contentsOf: runFile),
            let run = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw OutputError(path: runFile.path, operation: "read run.json", message: "it is missing or not JSON; is this an audit or apply folder?")
        }
        let inputs = (run["inputs"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        let named = run["fields"] as? [String: Any] ?? [:]
        let fields = FieldNames(
            key: named["key"] as? String, image: named["image"] as? String, caption: named["caption"] as? String)
        let imageRoot = run["image_root"] as? String
        guard !inputs.isEmpty, var reader = try? DatasetReader(inputs: inputs, fields: fields, imageRoot: imageRoot)
        else { return }
        reader.readsImageBytes = false
        reader.imageBytesKeys = ReportBuilder.shownKeys(folder: folder)
        while let item = try? reader.next() {
            guard case .sample(let sample, let source) = item else { continue }
            captions[sample.key] = sample.caption
            if source.isReadable { images[sample.key] = source }
        }
    }

    /// The bytes of a sample's image, when it is a local file or a tar member the report shows.
    public func imageData(key: String) -> Data? { images[key]?.data() }
}
